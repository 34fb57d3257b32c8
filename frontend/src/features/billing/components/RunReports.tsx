import { Button, Group, Loader, Stack, Table, Text, Title } from "@mantine/core";
import { lazy, Suspense } from "react";

import { Money } from "@/components/Money";
import { downloadFile } from "@/lib/download";
import { notifyProblem } from "@/lib/queryClient";

import { useConsumption, useRegister, type Run } from "../api/runs";
import { registerCsv } from "../registerCsv";

// The chart library is the biggest part of billing's screens: loaded when a chart is shown.
const RunTotalsChart = lazy(() =>
  import("./RunTotalsChart").then((m) => ({ default: m.RunTotalsChart })));

/** Consumption and charges by service and rate class, with the chart. */
export function RunConsumption({ run }: { run: Run }) {
  const rows = useConsumption(run.id);
  if (rows.isLoading) return <Loader role="status" aria-label="Loading consumption" />;
  if (!rows.data) return null;
  return (
    <Stack>
      <Suspense fallback={<Loader role="status" size="sm" aria-label="Loading chart" />}>
        <RunTotalsChart rows={rows.data} />
      </Suspense>
      <Table aria-label="Consumption by class" striped>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Service</Table.Th><Table.Th>Rate class</Table.Th>
            <Table.Th ta="right">Accounts</Table.Th><Table.Th ta="right">Use</Table.Th>
            <Table.Th ta="right">Charges</Table.Th>
          </Table.Tr>
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
    </Stack>
  );
}

/** The billing register: each bill by service and total; a CSV of it, and the print file. */
export function RunRegister({ run }: { run: Run }) {
  const rows = useRegister(run.id);
  return (
    <Stack>
      <Group>
        <Button variant="default" size="xs" disabled={!rows.data}
          onClick={() => rows.data && saveText(registerCsv(rows.data), `register-${run.id}.csv`)}>
          Register CSV
        </Button>
        <Button variant="default" size="xs"
          onClick={() => void downloadFile(`/api/billing/bills/runs/${run.id}/print-file`,
            `run-${run.id}.csv`).catch(notifyProblem)}>
          Print-vendor file
        </Button>
      </Group>
      {rows.isLoading && <Loader role="status" aria-label="Loading register" />}
      {rows.data?.length === 0 && <Text c="gray.7">No bills.</Text>}
      {rows.data && rows.data.length > 0 && (
        <Table.ScrollContainer minWidth={720}>
          <Table aria-label="Billing register" striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Account</Table.Th><Table.Th>Name</Table.Th><Table.Th>Status</Table.Th>
                <Table.Th ta="right">Water</Table.Th><Table.Th ta="right">Wastewater</Table.Th>
                <Table.Th ta="right">Other</Table.Th><Table.Th ta="right">Total</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.data.map((r) => (
                <Table.Tr key={r.bill_id}>
                  <Table.Td ff="monospace">{r.account_number ?? "—"}</Table.Td>
                  <Table.Td>{r.name ?? "—"}</Table.Td><Table.Td>{r.status}</Table.Td>
                  <Table.Td ta="right"><Money value={r.water} /></Table.Td>
                  <Table.Td ta="right"><Money value={r.wastewater} /></Table.Td>
                  <Table.Td ta="right"><Money value={r.other} /></Table.Td>
                  <Table.Td ta="right"><Money value={r.total} /></Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <Title order={3} size="h6" c="gray.7">Totals: {run.bills} bills, <Money value={run.total} />
      </Title>
    </Stack>
  );
}

function saveText(text: string, name: string) {
  const url = URL.createObjectURL(new Blob([text], { type: "text/csv" }));
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
