import { Button, Table, Text } from "@mantine/core";

import { Money } from "@/components/Money";
import { openPdf } from "@/lib/api";
import { notifyProblem } from "@/lib/queryClient";

import type { LedgerEntry } from "../api/queries";

const LABELS: Record<string, string> = { bill: "Bill", payment: "Payment" };

function statement(billId: string) {
  openPdf(`/api/billing/bills/${encodeURIComponent(billId)}/statement.pdf`).catch(notifyProblem);
}

/**
 * Ledger entries, newest first. `kinds` narrows it (bills, payments); a bill's entry carries the
 * bill's id as its reference, which opens the statement PDF.
 */
export function LedgerPanel({ entries, kinds, label }: {
  entries: LedgerEntry[]; kinds?: string[]; label: string;
}) {
  const rows = entries.filter((e) => !kinds || kinds.includes(e.kind))
    .sort((a, b) => b.seq - a.seq);
  if (rows.length === 0) return <Text c="dimmed">Nothing here yet.</Text>;
  return (
    <Table striped aria-label={label}>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Posted</Table.Th><Table.Th>What</Table.Th><Table.Th>Due</Table.Th>
          <Table.Th ta="right">Amount</Table.Th><Table.Th>By</Table.Th><Table.Th />
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {rows.map((e) => (
          <Table.Tr key={e.id}>
            <Table.Td>{e.posted_on}</Table.Td>
            <Table.Td>
              {LABELS[e.kind] ?? e.kind.replace(/_/g, " ")}
              {e.corrects && <Text span size="xs" c="dimmed"> (correction)</Text>}
            </Table.Td>
            <Table.Td>{e.due_date ?? ""}</Table.Td>
            <Table.Td ta="right"><Money value={e.amount} /></Table.Td>
            <Table.Td>{e.created_by}</Table.Td>
            <Table.Td>
              {e.kind === "bill" && e.reference && (
                <Button size="compact-xs" variant="subtle" onClick={() => statement(e.reference!)}>
                  Statement PDF
                </Button>
              )}
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
