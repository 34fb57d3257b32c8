import { Alert, Anchor, Badge, Button, Card, Group, Radio, SegmentedControl, Skeleton, Stack, Text, TextInput } from "@mantine/core";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";

import { useIdempotencyKey } from "@/hooks/useIdempotencyKey";

import { useCurrentAccount } from "../app/account";
import { LeaveGuard } from "../app/LeaveGuard";
import { PageTitle } from "../app/PageTitle";
import { useLocale } from "../i18n";
import { formatDay } from "../lib/format";
import { useAutopay, useAutopayActions, useMethods } from "../lib/queries";

/** Autopay from a bank account or a saved card: each bill is taken on its due date. The bank
 * account number is sent once and shown masked afterwards, a new account proven by a prenote
 * first; a card is one already saved on the processor's page, named by its id (its token stays
 * on the server). */
export function AutopayPage() {
  const { t } = useTranslation();
  const locale = useLocale();
  const { accountId } = useCurrentAccount();
  const autopay = useAutopay(accountId);
  const { enrol, cancel } = useAutopayActions(accountId);
  const [key, renew] = useIdempotencyKey();
  const [routing, setRouting] = useState("");
  const [number, setNumber] = useState("");
  const [type, setType] = useState<"checking" | "savings">("checking");
  const [holder, setHolder] = useState("");
  const [from, setFrom] = useState<"bank" | "card">("bank");
  const methods = useMethods(accountId);
  const cards = (methods.data ?? []).filter((m) => m.kind === "card" && !m.removed_at);
  const [cardId, setCardId] = useState<string | null>(null);
  const chosenCard = cardId ?? cards.find((c) => c.is_default)?.id ?? cards[0]?.id ?? null;
  const dirty = !!(routing || number || holder) && !enrol.isSuccess;
  const active = autopay.data && autopay.data.status !== "cancelled" ? autopay.data : null;

  const submitCard = async (e: FormEvent) => {
    e.preventDefault();
    if (!chosenCard) return;
    await enrol.mutateAsync({ key, body: { method: "card", method_id: chosenCard, account_type: "checking" } });
    renew();
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    await enrol.mutateAsync({ key, body: {
      method: "bank", routing_number: routing.trim(), account_number: number.trim(),
      account_type: type, holder_name: holder.trim() || null } });
    renew();
    setRouting("");
    setNumber("");
    setHolder("");
  };

  return (
    <Stack>
      <PageTitle>{t("autopay.title")}</PageTitle>
      <LeaveGuard dirty={dirty} />
      {autopay.isLoading ? <Skeleton h={120} /> : active ? (
        <Card withBorder>
          <Stack gap="xs">
            <Group>
              <Badge color="teal" size="lg">{t("autopay.on")}</Badge>
              <Text fw={600}>{active.display}</Text>
            </Group>
            <Text role="status">{t("autopay.enrolled", { date: formatDay(active.enrolled_on, locale) })}</Text>
            {active.prenote_required && !active.live_from && <Text size="sm">{t("autopay.prenote")}</Text>}
            <Button color="red" variant="light" onClick={() => cancel.mutate()} loading={cancel.isPending}>
              {t("autopay.cancel")}
            </Button>
          </Stack>
        </Card>
      ) : (
        <Card withBorder>
          {autopay.data?.status === "cancelled" && (
            <Alert color="gray" mb="md" role="status">{t("autopay.off")}</Alert>
          )}
          <SegmentedControl aria-label={t("autopay.from")} value={from} mb="md" fullWidth
            onChange={(v) => setFrom(v as "bank" | "card")}
            data={[{ value: "bank", label: t("autopay.bank") }, { value: "card", label: t("autopay.card") }]} />
          {from === "card" ? (
            <form onSubmit={(e) => void submitCard(e).catch(() => undefined)}>
              <Stack>
                <Text>{t("autopay.cardIntro")}</Text>
                {methods.isLoading ? <Skeleton h={60} /> : cards.length === 0 ? (
                  <Text>{t("autopay.noCard")} <Anchor component={Link} to="../methods">{t("autopay.addCard")}</Anchor></Text>
                ) : (
                  <Radio.Group label={t("autopay.whichCard")} value={chosenCard} onChange={setCardId}>
                    <Stack gap="xs" mt="xs">
                      {cards.map((c) => <Radio key={c.id} value={c.id} label={c.display} />)}
                    </Stack>
                  </Radio.Group>
                )}
                <Button type="submit" disabled={!chosenCard} loading={enrol.isPending}>{t("autopay.enrol")}</Button>
              </Stack>
            </form>
          ) : (
          <form onSubmit={(e) => void submit(e).catch(() => undefined)}>
            <Stack>
              <Text>{t("autopay.intro")}</Text>
              <TextInput label={t("autopay.routing")} inputMode="numeric" required maxLength={9}
                autoComplete="off" value={routing} onChange={(e) => setRouting(e.currentTarget.value)} />
              <TextInput label={t("autopay.number")} inputMode="numeric" required maxLength={17}
                autoComplete="off" value={number} onChange={(e) => setNumber(e.currentTarget.value)} />
              <SegmentedControl aria-label={t("autopay.type")} value={type}
                onChange={(v) => setType(v as "checking" | "savings")}
                data={[{ value: "checking", label: t("autopay.checking") },
                  { value: "savings", label: t("autopay.savings") }]} />
              <TextInput label={t("autopay.holder")} description={t("autopay.holderHelp")}
                value={holder} onChange={(e) => setHolder(e.currentTarget.value)} />
              <Button type="submit" loading={enrol.isPending}>{t("autopay.enrol")}</Button>
            </Stack>
          </form>
          )}
        </Card>
      )}
    </Stack>
  );
}
