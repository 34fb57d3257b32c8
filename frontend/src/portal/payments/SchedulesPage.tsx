import { Badge, Button, Card, Group, NativeSelect, SegmentedControl, Stack, Text, TextInput } from "@mantine/core";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";

import { useIdempotencyKey } from "@/hooks/useIdempotencyKey";

import { useCurrentAccount } from "../app/account";
import { LeaveGuard } from "../app/LeaveGuard";
import { PageTitle } from "../app/PageTitle";
import { useLocale } from "../i18n";
import { formatAmount, formatDay } from "../lib/format";
import { useMethods, useScheduleActions, useSchedules } from "../lib/queries";
import { payableAmount } from "../pay/PayPage";

/** A payment on a later day, or every month, from a saved method. */
export function SchedulesPage() {
  const { t } = useTranslation();
  const locale = useLocale();
  const { accountId } = useCurrentAccount();
  const schedules = useSchedules(accountId);
  const methods = (useMethods(accountId).data ?? []).filter((m) => !m.removed_at);
  const { add, cancel } = useScheduleActions(accountId);
  const [key, renew] = useIdempotencyKey();
  const [kind, setKind] = useState<"once" | "monthly">("monthly");
  const [rule, setRule] = useState<"balance" | "fixed">("balance");
  const [methodId, setMethodId] = useState("");
  const [startOn, setStartOn] = useState("");
  const [day, setDay] = useState("15");
  const [amount, setAmount] = useState("");

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const chosen = methodId || methods[0]?.id;
    if (!chosen) return;
    await add.mutateAsync({ key, body: {
      method_id: chosen, kind, start_on: startOn, amount_rule: rule,
      day_of_month: kind === "monthly" ? Number(day) : null,
      amount: rule === "fixed" ? payableAmount(amount) : null } });
    renew();
    setStartOn("");
    setAmount("");
  };

  return (
    <Stack>
      <PageTitle>{t("schedules.title")}</PageTitle>
      <LeaveGuard dirty={!!(startOn || amount)} />
      {(schedules.data ?? []).map((s) => (
        <Card withBorder key={s.id}>
          <Group justify="space-between" wrap="nowrap">
            <div>
              <Text fw={600}>
                {s.kind === "monthly" ? t("schedules.monthlyOn", { day: s.day_of_month })
                  : t("schedules.onceOn", { date: formatDay(s.start_on, locale) })}
              </Text>
              <Text size="sm">
                {s.amount_rule === "balance" ? t("schedules.balance") : formatAmount(s.amount, locale)}
                {" · "}{s.method_display}
              </Text>
            </div>
            <Group gap="xs">
              <Badge color={s.status === "active" ? "teal" : "gray"}>{t(`schedules.status.${s.status}`, s.status)}</Badge>
              {s.status === "active" && (
                <Button size="xs" variant="subtle" color="red" onClick={() => cancel.mutate(s.id)}>
                  {t("schedules.cancel")}
                </Button>
              )}
            </Group>
          </Group>
        </Card>
      ))}
      <Card withBorder>
        {methods.length === 0 ? <Text>{t("schedules.needMethod")}</Text> : (
          <form onSubmit={(e) => void submit(e).catch(() => undefined)}>
            <Stack>
              <Text component="h2" fw={600}>{t("schedules.new")}</Text>
              <SegmentedControl aria-label={t("schedules.kind")} value={kind}
                onChange={(v) => setKind(v as "once" | "monthly")}
                data={[{ value: "monthly", label: t("schedules.monthly") }, { value: "once", label: t("schedules.once") }]} />
              <NativeSelect label={t("schedules.method")} value={methodId || methods[0]?.id}
                onChange={(e) => setMethodId(e.currentTarget.value)}
                data={methods.map((m) => ({ value: m.id, label: m.display }))} />
              <TextInput type="date" label={kind === "once" ? t("schedules.payOn") : t("schedules.from")}
                required value={startOn} onChange={(e) => setStartOn(e.currentTarget.value)} />
              {kind === "monthly" && (
                <TextInput type="number" min={1} max={31} label={t("schedules.day")} required
                  value={day} onChange={(e) => setDay(e.currentTarget.value)} />
              )}
              <SegmentedControl aria-label={t("schedules.rule")} value={rule}
                onChange={(v) => setRule(v as "balance" | "fixed")}
                data={[{ value: "balance", label: t("schedules.balance") }, { value: "fixed", label: t("schedules.fixed") }]} />
              {rule === "fixed" && (
                <TextInput label={t("pay.amount")} inputMode="decimal" required leftSection="$"
                  value={amount} onChange={(e) => setAmount(e.currentTarget.value)} />
              )}
              <Button type="submit" loading={add.isPending}>{t("schedules.save")}</Button>
            </Stack>
          </form>
        )}
      </Card>
    </Stack>
  );
}
