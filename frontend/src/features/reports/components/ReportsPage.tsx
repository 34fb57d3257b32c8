import { Alert, Anchor, Button, Card, Group, Loader, NumberInput, Select, SimpleGrid, Stack,
  Table, Text, TextInput, Title } from "@mantine/core";
import { useState, type FormEvent, type ReactNode } from "react";
import { Link } from "react-router-dom";

import { Money } from "@/components/Money";
import { openPdf } from "@/lib/api";
import { useSession } from "@/lib/auth";
import { downloadFile } from "@/lib/download";
import { can } from "@/lib/permissions";
import { notifyProblem } from "@/lib/queryClient";

import { reportQuery, useAgingReport, useDisconnections, useFinalRuns, useRunConsumption }
  from "../api/reports";
import { ReportCatalogue } from "./ReportCatalogue";

function ReportCard({ title, about, children }: { title: string; about: string;
  children: ReactNode }) {
  return (
    <Card withBorder component="section" aria-label={title}>
      <Title order={2} size="h4">{title}</Title>
      <Text size="sm" c="gray.7" mb="sm">{about}</Text>
      {children}
    </Card>
  );
}

const pdf = (path: string) => () => void openPdf(path).catch(notifyProblem);
const csv = (path: string, name: string) => () =>
  void downloadFile(path, name).catch(notifyProblem);

/** Every report the services offer, with its parameters, as a view, PDF or CSV: first the
 * services' catalogues, then the views with parameters of their own. */
export function ReportsPage() {
  const role = useSession()?.role;
  return (
    <Stack>
      <Title order={1} size="h3">Reports</Title>
      <ReportCatalogue />
      <Title order={2} size="h4">Views</Title>
      <SimpleGrid cols={{ base: 1, lg: 2 }}>
        <AgingCard />
        <DayEndCard />
        <DisconnectionsCard />
        {can(role, "runs.work") && <RunReportsCard />}
        {can(role, "reads.work") && (
          <ReportCard title="Unread meters" about="Meters of a cycle with no read in a period.">
            <Anchor component={Link} to="/billing/reads?tab=unread" c="blue.9">Open the unread-meter
              report</Anchor>
          </ReportCard>
        )}
      </SimpleGrid>
    </Stack>
  );
}

function AgingCard() {
  const [asOf, setAsOf] = useState("");
  const [shown, setShown] = useState<string | null>(null);
  const report = useAgingReport(shown);
  const path = (ext: string) =>
    `/api/collections/reports/aging${ext}${reportQuery({ as_of: asOf })}`;
  function submit(e: FormEvent) {
    e.preventDefault();
    setShown(asOf);
  }
  const b = report.data?.totals.buckets;
  return (
    <ReportCard title="Aging"
      about="What every account owes by days past due; ties to billing's ledger.">
      <form onSubmit={submit} aria-label="Aging report">
        <Group align="flex-end">
          <TextInput type="date" label="As of" description="Empty: today" value={asOf}
            onChange={(e) => setAsOf(e.currentTarget.value)} />
          <Button type="submit" variant="light">Totals</Button>
          <Button variant="default" onClick={pdf(path(".pdf"))}>PDF</Button>
          <Button variant="default" onClick={csv(path(".csv"), "aging.csv")}>CSV</Button>
        </Group>
      </form>
      {report.isLoading && <Loader role="status" size="sm" mt="sm" aria-label="Loading aging" />}
      {report.data && b && (
        <Table mt="sm" aria-label="Aging totals">
          <Table.Tbody>
            {([["Current", b.current], ["1–30 days", b.days_1_30], ["31–60 days", b.days_31_60],
              ["61–90 days", b.days_61_90], ["91–120 days", b.days_91_120],
              ["Over 120 days", b.days_over_120],
              ["Unapplied credit", report.data.totals.unapplied_credit],
              ["Balance", report.data.totals.balance]] as const).map(([label, value]) => (
              <Table.Tr key={label}><Table.Td>{label}</Table.Td>
                <Table.Td ta="right"><Money value={value} /></Table.Td></Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </ReportCard>
  );
}

function DayEndCard() {
  const [day, setDay] = useState("");
  const path = (ext: string) => `/api/payments/dayend${ext}${reportQuery({ date: day })}`;
  function submit(e: FormEvent) {
    e.preventDefault();
    pdf(path(".pdf"))();
  }
  return (
    <ReportCard title="Receipts (end of day)"
      about={"The day's payments by channel, tender, drawer and batch, returns, deposits, "
        + "and the tie-out to the ledger."}>
      <form onSubmit={submit} aria-label="End-of-day report">
        <Group align="flex-end">
          <TextInput type="date" label="Day" description="Empty: today" value={day}
            onChange={(e) => setDay(e.currentTarget.value)} />
          <Button type="submit" variant="default">PDF</Button>
          <Button variant="default" onClick={csv(path(".csv"), "dayend.csv")}>CSV</Button>
        </Group>
      </form>
    </ReportCard>
  );
}

function DisconnectionsCard() {
  const [year, setYear] = useState<number>(new Date().getFullYear());
  const [shown, setShown] = useState<number | null>(null);
  const report = useDisconnections(shown);
  function submit(e: FormEvent) {
    e.preventDefault();
    setShown(year);
  }
  return (
    <ReportCard title="Disconnections (SB 998)"
      about="Disconnections for non-payment and restorations, month by month.">
      <form onSubmit={submit} aria-label="Disconnections report">
        <Group align="flex-end">
          <NumberInput label="Year" min={2000} max={2999} allowDecimal={false} w={120}
            value={year} onChange={(v) => setYear(typeof v === "number" ? v : year)} />
          <Button type="submit" variant="light">Show</Button>
          <Button variant="default" onClick={csv(
            `/api/collections/reports/sb998-disconnections.csv${reportQuery({ year })}`,
            `sb998-disconnections-${year}.csv`)}>CSV</Button>
        </Group>
      </form>
      {report.data && (
        <Table mt="sm" aria-label="Disconnections by month">
          <Table.Thead>
            <Table.Tr><Table.Th>Month</Table.Th><Table.Th ta="right">Disconnections</Table.Th>
              <Table.Th ta="right">Restorations</Table.Th></Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {report.data.months.map((m) => (
              <Table.Tr key={m.month}><Table.Td>{m.month}</Table.Td>
                <Table.Td ta="right">{m.disconnections}</Table.Td>
                <Table.Td ta="right">{m.restorations}</Table.Td></Table.Tr>
            ))}
            <Table.Tr fw={700}><Table.Td>Year</Table.Td>
              <Table.Td ta="right">{report.data.disconnections}</Table.Td>
              <Table.Td ta="right">{report.data.restorations}</Table.Td></Table.Tr>
          </Table.Tbody>
        </Table>
      )}
    </ReportCard>
  );
}

function RunReportsCard() {
  const runs = useFinalRuns(true);
  const [runId, setRunId] = useState<string | null>(null);
  const rows = useRunConsumption(runId);
  const data = (runs.data ?? []).map((r) => ({ value: r.id,
    label: `${r.cycle}, ${r.period_start} – ${r.period_end} (${r.kind})` }));
  return (
    <ReportCard title="Bill run reports"
      about={"The billing register, consumption by class and the print-vendor file of a "
        + "finalised run."}>
      <Group align="flex-end">
        <Select label="Run" placeholder={runs.isLoading ? "Loading…" : "Pick a finalised run"}
          data={data} value={runId} onChange={setRunId} searchable w={320}
          nothingFoundMessage="No finalised run" />
        {runId && (
          <>
            <Button variant="default" component={Link}
              to={`/billing/runs/${runId}?tab=register`}>Register</Button>
            <Button variant="default" onClick={csv(`/api/billing/bills/runs/${runId}/print-file`,
              `run-${runId}.csv`)}>Print-vendor file</Button>
          </>
        )}
      </Group>
      {rows.data && (
        <Table mt="sm" aria-label="Consumption by class">
          <Table.Thead>
            <Table.Tr><Table.Th>Service</Table.Th><Table.Th>Class</Table.Th>
              <Table.Th ta="right">Accounts</Table.Th><Table.Th ta="right">Use</Table.Th>
              <Table.Th ta="right">Charges</Table.Th></Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.data.map((r) => (
              <Table.Tr key={`${r.service}-${r.rate_class}`}>
                <Table.Td>{r.service}</Table.Td><Table.Td>{r.rate_class}</Table.Td>
                <Table.Td ta="right">{r.accounts}</Table.Td>
                <Table.Td ta="right" ff="monospace">{r.quantity}</Table.Td>
                <Table.Td ta="right"><Money value={r.amount} /></Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {runs.data?.length === 0 && <Alert color="gray" mt="sm">No finalised run yet.</Alert>}
    </ReportCard>
  );
}
