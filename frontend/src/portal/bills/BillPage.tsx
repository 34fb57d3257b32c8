import { Button, Card, Group, List, Skeleton, Stack, Table, Text } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router-dom";

import { notifyProblem } from "@/lib/queryClient";

import { PageTitle } from "../app/PageTitle";
import { useLocale } from "../i18n";
import { download } from "../lib/client";
import { formatAmount, formatDay, formatGallons } from "../lib/format";
import { useBill, useExplanation } from "../lib/queries";

/** One bill: its lines, what they mean in plain words, the statement PDF, a review request. */
export function BillPage() {
  const { t } = useTranslation();
  const locale = useLocale();
  const billId = useParams().billId ?? "";
  const bill = useBill(billId);
  const explanation = useExplanation(billId);
  const [opening, setOpening] = useState(false);
  const b = bill.data;
  const openPdf = async () => {
    setOpening(true);
    try {
      await download(`/api/billing/bills/${billId}/statement.pdf`, `bill-${billId}.pdf`);
    } catch (e) {
      notifyProblem(e);
    } finally {
      setOpening(false);
    }
  };
  return (
    <Stack>
      <PageTitle>{b ? t("bills.billOf", { date: formatDay(b.bill_date ?? b.period_end, locale) }) : t("bills.title")}</PageTitle>
      {!b ? <Skeleton h={200} /> : (
        <>
          <Card withBorder>
            <Group justify="space-between">
              <Text>{t("bills.total")}</Text>
              <Text fw={700} fz="xl">{formatAmount(b.total, locale)}</Text>
            </Group>
            <Text size="sm" c="dimmed">
              {t("bills.period", { start: formatDay(b.period_start, locale), end: formatDay(b.period_end, locale) })}
              {b.due_date ? ` · ${t("home.dueBy", { date: formatDay(b.due_date, locale) })}` : ""}
            </Text>
            <Group mt="md">
              <Button onClick={() => void openPdf()} loading={opening}>{t("bills.pdf")}</Button>
              <Button component={Link} variant="light"
                to={`/requests/new?kind=high_bill_review&bill=${b.id}`}>{t("bills.review")}</Button>
            </Group>
          </Card>
          <Card withBorder>
            <Text component="h2" fw={600} mb="xs">{t("bills.lines")}</Text>
            <Table.ScrollContainer minWidth={320}>
              <Table>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t("bills.charge")}</Table.Th>
                    <Table.Th ta="right">{t("bills.quantity")}</Table.Th>
                    <Table.Th ta="right">{t("bills.amount")}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {b.lines.map((ln, i) => (
                    <Table.Tr key={i}>
                      <Table.Td>{ln.description}</Table.Td>
                      <Table.Td ta="right">{formatGallons(ln.quantity, locale)}</Table.Td>
                      <Table.Td ta="right">{formatAmount(ln.amount, locale)}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          </Card>
          <Card withBorder>
            <Text component="h2" fw={600} mb="xs">{t("bills.explain")}</Text>
            {explanation.data ? (
              <List spacing="xs">{explanation.data.text.map((line, i) => <List.Item key={i}>{line}</List.Item>)}</List>
            ) : <Skeleton h={60} />}
          </Card>
        </>
      )}
    </Stack>
  );
}
