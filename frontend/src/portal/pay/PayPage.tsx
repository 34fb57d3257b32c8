import { Alert, Button, Card, Stack, Text, TextInput } from "@mantine/core";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";

import { useIdempotencyKey } from "@/hooks/useIdempotencyKey";
import { toCents } from "@/lib/money";

import { useCurrentAccount } from "../app/account";
import { PageTitle } from "../app/PageTitle";
import { useLocale } from "../i18n";
import { formatAmount } from "../lib/format";
import { useStartPayment, useSummary } from "../lib/queries";

export const STARTED_KEY = "tapline.portal.started-payment";

/** A plain amount above zero with at most cents, or null. */
export function payableAmount(text: string): string | null {
  const clean = text.replace(/[$,\s]/g, "");
  try {
    const cents = toCents(clean);
    return cents > 0n ? clean : null;
  } catch {
    return null;
  }
}

/** Pay once: the amount here, the card or bank account on the processor's own page. */
export function PayPage() {
  const { t } = useTranslation();
  const locale = useLocale();
  const { accountId } = useCurrentAccount();
  const summary = useSummary(accountId);
  const start = useStartPayment(accountId);
  const [key] = useIdempotencyKey();
  const [typed, setAmount] = useState("");
  const [invalid, setInvalid] = useState(false);
  const due = summary.data?.amount_due;
  // An empty field offers the amount due.
  const amount = typed === "" && due && toCents(due) > 0n ? due : typed;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const value = payableAmount(amount);
    setInvalid(value === null);
    if (value === null) return;
    const started = await start.mutateAsync({ amount: value, key });
    sessionStorage.setItem(STARTED_KEY, started.id);
    if (started.url) window.location.assign(started.url);
  };

  return (
    <Stack>
      <PageTitle>{t("pay.title")}</PageTitle>
      <Card withBorder>
        <form onSubmit={(e) => void submit(e).catch(() => undefined)}>
          <Stack>
            {due && <Text>{t("pay.due", { amount: formatAmount(due, locale) })}</Text>}
            <TextInput label={t("pay.amount")} inputMode="decimal" required value={amount}
              leftSection="$" error={invalid ? t("pay.invalid") : undefined}
              onChange={(e) => setAmount(e.currentTarget.value)} />
            <Text size="sm" c="dimmed">{t("pay.hosted")}</Text>
            <Button type="submit" size="lg" loading={start.isPending}>{t("pay.continue")}</Button>
          </Stack>
        </form>
      </Card>
      {start.isError && <Alert color="red" role="alert">{t("pay.failed")}</Alert>}
    </Stack>
  );
}
