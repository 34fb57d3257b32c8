import { Alert, Anchor, Button, Card, Group, SimpleGrid, Skeleton, Stack, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";

import { useCurrentAccount } from "../app/account";
import { PageTitle } from "../app/PageTitle";
import { useLocale } from "../i18n";
import { formatAmount, formatDay } from "../lib/format";
import { useSummary } from "../lib/queries";
import { useLeaks } from "../usage/api";

/** What a customer opens the portal for: what they owe, by when, and a way to pay it. */
export function HomePage() {
  const { t } = useTranslation();
  const locale = useLocale();
  const { accountId } = useCurrentAccount();
  const summary = useSummary(accountId);
  const leaks = useLeaks(accountId, "open");
  const s = summary.data;
  const credit = s?.balance != null && s.balance.startsWith("-");
  return (
    <Stack>
      <PageTitle>{t("home.title")}</PageTitle>
      {(leaks.data ?? []).length > 0 && (
        <Alert color="orange" title={t("usage.leakTitle")} role="alert">
          {t("home.leak")} <Anchor component={Link} to="/usage">{t("home.seeUsage")}</Anchor>
        </Alert>
      )}
      <Card withBorder padding="lg">
        {!s ? <Skeleton h={96} /> : (
          <Stack gap="xs">
            <Text size="sm" c="dimmed">{t("home.amountDue")}</Text>
            <Text fz={40} fw={700} data-testid="amount-due">{formatAmount(s.amount_due, locale)}</Text>
            <Text>
              {s.due_date ? t("home.dueBy", { date: formatDay(s.due_date, locale) })
                : t("home.nothingDue")}
            </Text>
            <Text size="sm" c="dimmed">
              {credit ? t("home.credit", { amount: formatAmount(s.balance!.slice(1), locale) })
                : t("home.balance", { amount: formatAmount(s.balance, locale) })}
            </Text>
            <Group mt="sm">
              <Button component={Link} to="/pay" size="lg">{t("home.payNow")}</Button>
              <Button component={Link} to="/bills" variant="light" size="lg">{t("home.viewBills")}</Button>
            </Group>
          </Stack>
        )}
      </Card>
      <SimpleGrid cols={{ base: 2, sm: 3 }}>
        {([["/autopay", "nav.autopay"], ["/methods", "nav.methods"], ["/schedules", "nav.schedules"],
          ["/usage", "nav.usage"], ["/requests", "nav.requests"], ["/settings", "nav.settings"]] as const)
          .map(([to, key]) => (
            <Button key={to} component={Link} to={to} variant="default" h={64}>{t(key)}</Button>
          ))}
      </SimpleGrid>
      {s && s.payments.length > 0 && (
        <Card withBorder>
          <Text fw={600} mb="xs" component="h2">{t("home.recentPayments")}</Text>
          <Stack gap={4}>
            {s.payments.slice(0, 5).map((p) => (
              <Group key={p.payment_id} justify="space-between">
                <Text>{formatDay(p.received_on, locale)}</Text>
                <Text>{formatAmount(p.amount, locale)}{p.status !== "posted" ? ` · ${t(`payStatus.${p.status}`, p.status)}` : ""}</Text>
              </Group>
            ))}
          </Stack>
        </Card>
      )}
    </Stack>
  );
}
