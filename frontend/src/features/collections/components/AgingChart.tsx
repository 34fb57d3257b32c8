import "@mantine/charts/styles.css";

import { BarChart } from "@mantine/charts";
import { Anchor, Card, Group, Loader, Stack, Table, Text, TextInput } from "@mantine/core";
import { useState } from "react";

import { Money } from "@/components/Money";
import { openPdf } from "@/lib/api";
import { notifyProblem } from "@/lib/queryClient";

import { useAgingReport, type AgingTotals } from "../api/supervisor";
import { BUCKETS } from "./buckets";

/** Dollars for the chart's bar heights only (drawing needs a number); every figure shown as
 * text comes from the decimal strings. */
export function chartData(totals: AgingTotals) {
  return BUCKETS.map((b) => ({ bucket: b.label, amount: Number(totals.buckets[b.key]) }));
}

function download(path: string) {
  openPdf(path).catch(notifyProblem);
}

/** The district's receivable by age: a bar per bucket, the figures beside it, the report. */
export function AgingChart() {
  const [asOf, setAsOf] = useState("");
  const report = useAgingReport(/^\d{4}-\d{2}-\d{2}$/.test(asOf) ? asOf : null);
  const t = report.data?.totals;
  const q = report.data ? `?as_of=${report.data.as_of}` : "";
  return (
    <Stack>
      <Group align="flex-end">
        <TextInput type="date" label="As of" value={asOf} onChange={(e) => setAsOf(e.currentTarget.value)} />
        {report.data && (
          <>
            <Anchor component="button" type="button"
              onClick={() => download(`/api/collections/reports/aging.pdf${q}`)}>Aging report (PDF)</Anchor>
            <Anchor component="button" type="button"
              onClick={() => download(`/api/collections/reports/aging.csv${q}`)}>Aging report (CSV)</Anchor>
          </>
        )}
      </Group>
      {report.isPending && <Loader role="status" aria-label="Loading the aging report" />}
      {t && report.data && (
        <Group align="flex-start" grow>
          <Card withBorder component="figure" m={0}>
            <Text component="figcaption" size="sm" fw={600} mb="xs">Receivable by aging bucket</Text>
            <BarChart h={260} data={chartData(t)} dataKey="bucket" series={[{ name: "amount", color: "blue.6", label: "Amount" }]}
              valueFormatter={(v) => `$${v.toLocaleString("en-US", { maximumFractionDigits: 0 })}`}
            />
          </Card>
          <Table aria-label="Aging by bucket" maw={420}>
            <Table.Tbody>
              {BUCKETS.map((b) => (
                <Table.Tr key={b.key}><Table.Th scope="row">{b.label}</Table.Th>
                  <Table.Td ta="right"><Money value={t.buckets[b.key]} /></Table.Td></Table.Tr>
              ))}
              <Table.Tr><Table.Th scope="row">Unapplied credit</Table.Th>
                <Table.Td ta="right"><Money value={t.unapplied_credit} /></Table.Td></Table.Tr>
              <Table.Tr><Table.Th scope="row">Balance ({t.accounts} accounts)</Table.Th>
                <Table.Td ta="right"><Money value={t.balance} fw={700} /></Table.Td></Table.Tr>
            </Table.Tbody>
          </Table>
        </Group>
      )}
      {report.data && report.data.accounts_behind > 0 && (
        <Text size="sm" c="orange.9">
          {report.data.accounts_behind} account(s) behind billing's announcements (billing's total{" "}
          <Money value={report.data.billing_announced_total} />).
        </Text>
      )}
    </Stack>
  );
}
