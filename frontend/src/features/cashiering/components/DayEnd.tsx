import { Badge, Button, Card, Group, SimpleGrid, Stack, Table, Text, TextInput, Title } from "@mantine/core";
import { useState } from "react";

import { Money } from "@/components/Money";
import { openPdf } from "@/lib/api";
import { notifyProblem } from "@/lib/queryClient";

import { download, useDayEnd } from "../api/queries";

function Sums({ label, rows }: { label: string; rows: { name: string; count: number; total: string }[] }) {
  return (
    <Card withBorder>
      <Title order={3} size="h5" mb="xs">{label}</Title>
      <Table aria-label={label}>
        <Table.Tbody>
          {rows.map((r) => (
            <Table.Tr key={r.name}>
              <Table.Td>{r.name.replace(/_/g, " ")}</Table.Td><Table.Td ta="right">{r.count}</Table.Td>
              <Table.Td ta="right"><Money value={r.total} /></Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Card>
  );
}

/** The end-of-day report: the day by channel and tender, drawers, batches, deposits, tie-out. */
export function DayEnd() {
  // Empty: the district's today (its time zone, not the browser's), shown once answered.
  const [day, setDay] = useState("");
  const report = useDayEnd(day);
  const r = report.data;
  const shown = day || r?.date || "";
  return (
    <Stack>
      <Group align="flex-end" justify="space-between">
        <TextInput type="date" label="Day" value={shown}
          onChange={(e) => setDay(e.currentTarget.value)} />
        <Group>
          <Button variant="light" onClick={() => void openPdf(`/api/payments/dayend.pdf?date=${shown}`)
            .catch(notifyProblem)}>Report PDF</Button>
          <Button variant="light" onClick={() => void download(`/api/payments/dayend.csv?date=${shown}`,
            `dayend-${shown}.csv`).catch(notifyProblem)}>Report CSV</Button>
        </Group>
      </Group>
      {r && (
        <>
          <Group>
            <Title order={2} size="h4">{r.utility}: {r.date}</Title>
            <Text>Total <Money value={r.totals.total} fw={700} /> in {r.totals.count} payment(s)</Text>
            <Badge color={r.bank_deposit.balanced ? "green" : "orange"}>
              {r.bank_deposit.balanced ? "Deposits balance" : "Deposits do not balance"}
            </Badge>
            <Badge color={r.tie_out.balanced ? "green" : "orange"}>
              {r.tie_out.balanced ? "Ties out to the ledger" : "Ledger tie-out open"}
            </Badge>
          </Group>
          <SimpleGrid cols={{ base: 1, md: 3 }}>
            <Sums label="By channel" rows={r.by_channel.map((c) => ({ name: c.channel, ...c }))} />
            <Sums label="By tender" rows={r.by_tender.map((t) => ({ name: t.tender, ...t }))} />
            <Sums label="By settlement"
              rows={r.by_settlement.map((s) => ({ name: s.settled_by, ...s }))} />
          </SimpleGrid>
          <Card withBorder>
            <Title order={3} size="h5" mb="xs">Drawers</Title>
            <Table aria-label="Drawers of the day">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Cashier</Table.Th><Table.Th>Status</Table.Th>
                  <Table.Th ta="right">Taken</Table.Th><Table.Th ta="right">Over/short</Table.Th>
                  <Table.Th>Signed off by</Table.Th><Table.Th>Deposit</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {r.drawers.map((d) => (
                  <Table.Tr key={d.id}>
                    <Table.Td>{d.cashier}</Table.Td><Table.Td>{d.status.replace("_", " ")}</Table.Td>
                    <Table.Td ta="right"><Money value={d.total} /></Table.Td>
                    <Table.Td ta="right"><Money value={d.over_short} /></Table.Td>
                    <Table.Td>{d.signed_off_by ?? "—"}</Table.Td>
                    <Table.Td>{d.deposit_number ?? "—"}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Card>
          <SimpleGrid cols={{ base: 1, md: 2 }}>
            <Card withBorder>
              <Title order={3} size="h5" mb="xs">Mail batches and lockbox</Title>
              <Table aria-label="Batches and lockbox of the day">
                <Table.Tbody>
                  {r.batches.map((b) => (
                    <Table.Tr key={b.id}>
                      <Table.Td>Batch by {b.keyed_by} ({b.status})</Table.Td>
                      <Table.Td ta="right">{b.count}</Table.Td>
                      <Table.Td ta="right"><Money value={b.total} /></Table.Td>
                    </Table.Tr>
                  ))}
                  {r.lockbox_imports.map((l) => (
                    <Table.Tr key={l.id}>
                      <Table.Td>Lockbox {l.file_id} ({l.suspense_count} in suspense)</Table.Td>
                      <Table.Td ta="right">{l.posted_count}</Table.Td>
                      <Table.Td ta="right"><Money value={l.posted_total} /></Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Card>
            <Card withBorder>
              <Title order={3} size="h5" mb="xs">Deposits and returns</Title>
              <Text size="sm">To deposit <Money value={r.bank_deposit.to_deposit} />, deposited{" "}
                <Money value={r.bank_deposit.deposited} />
                {r.bank_deposit.not_deposited.length > 0 &&
                  `; not deposited: ${r.bank_deposit.not_deposited.join(", ")}`}</Text>
              <Text size="sm">{r.returns.length} return(s);{" "}
                {r.tie_out.payments.missing.count} payment(s) not yet in the ledger,{" "}
                {r.tie_out.payments.differences_count} difference(s).</Text>
            </Card>
          </SimpleGrid>
        </>
      )}
    </Stack>
  );
}
