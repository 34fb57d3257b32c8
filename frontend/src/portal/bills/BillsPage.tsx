import { Badge, Card, Group, Skeleton, Stack, Text, UnstyledButton } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";

import { useCurrentAccount } from "../app/account";
import { PageTitle } from "../app/PageTitle";
import { useLocale } from "../i18n";
import { formatAmount, formatDay } from "../lib/format";
import { useBills } from "../lib/queries";

export function BillsPage() {
  const { t } = useTranslation();
  const locale = useLocale();
  const { accountId } = useCurrentAccount();
  const bills = useBills(accountId);
  return (
    <Stack>
      <PageTitle>{t("bills.title")}</PageTitle>
      {bills.isLoading && <Skeleton h={120} />}
      {bills.data?.length === 0 && <Text>{t("bills.none")}</Text>}
      <Stack gap="sm" component="ul" style={{ listStyle: "none", padding: 0, margin: 0 }}>
        {bills.data?.map((b) => (
          <li key={b.id}>
            <UnstyledButton component={Link} to={`/bills/${b.id}`} w="100%">
              <Card withBorder>
                <Group justify="space-between" wrap="nowrap">
                  <div>
                    <Text fw={600}>{t("bills.billOf", { date: formatDay(b.bill_date ?? b.period_end, locale) })}</Text>
                    <Text size="sm" c="dimmed">
                      {formatDay(b.period_start, locale, "short")} – {formatDay(b.period_end, locale, "short")}
                    </Text>
                  </div>
                  <Stack gap={2} align="flex-end">
                    <Text fw={700}>{formatAmount(b.total, locale)}</Text>
                    {b.status === "cancelled" && <Badge color="gray">{t("bills.cancelled")}</Badge>}
                  </Stack>
                </Group>
              </Card>
            </UnstyledButton>
          </li>
        ))}
      </Stack>
    </Stack>
  );
}
