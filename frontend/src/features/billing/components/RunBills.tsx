import { Badge, Button, Group, Loader, Pagination, Switch, Table, Text, VisuallyHidden }
  from "@mantine/core";
import { useState } from "react";

import { Money } from "@/components/Money";

import { BILLS_PAGE, useRunBills, type Run } from "../api/runs";
import { flagLabel, FLAG_COLOR } from "../runActions";
import { BillDrawer } from "./BillDrawer";

/** The run's bills, flagged ones first to review; any bill opens with its explanation. */
export function RunBills({ run, canHold, canRebill }: {
  run: Run; canHold: boolean; canRebill: boolean;
}) {
  const [flagged, setFlagged] = useState(run.flagged > 0);
  const [page, setPage] = useState(1);
  const [open, setOpen] = useState<string | null>(null);
  const bills = useRunBills(run.id, flagged, page);
  const count = flagged ? run.flagged : run.bills;
  const pages = Math.max(1, Math.ceil(count / BILLS_PAGE));
  return (
    <>
      <Group justify="space-between" mb="sm">
        <Switch label="Flagged bills only" checked={flagged}
          onChange={(e) => { setFlagged(e.currentTarget.checked); setPage(1); }} />
        {pages > 1 && <Pagination total={pages} value={page} onChange={setPage} size="sm"
          aria-label="Bill pages" />}
      </Group>
      {bills.isLoading && <Loader role="status" aria-label="Loading bills" />}
      {bills.data?.length === 0 && <Text c="gray.7">No bills.</Text>}
      {bills.data && bills.data.length > 0 && (
        <Table striped highlightOnHover aria-label="Bills of the run">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Account</Table.Th><Table.Th>Flags</Table.Th><Table.Th>Status</Table.Th>
              <Table.Th ta="right">Total</Table.Th>
              <Table.Th><VisuallyHidden>Open</VisuallyHidden></Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {bills.data.map((b) => (
              <Table.Tr key={b.id}>
                <Table.Td ff="monospace">{b.number ?? b.account_id}</Table.Td>
                <Table.Td>
                  {b.flags.map((f) => (
                    <Badge key={f} color={FLAG_COLOR} variant="outline" mr={4}>
                      {flagLabel(f)}
                    </Badge>
                  ))}
                </Table.Td>
                <Table.Td>{b.status}</Table.Td>
                <Table.Td ta="right"><Money value={b.total} /></Table.Td>
                <Table.Td ta="right">
                  <Button size="xs" variant="light" onClick={() => setOpen(b.id)}
                    aria-label={`Open bill of account ${b.number ?? b.account_id}`}>
                    Open
                  </Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <BillDrawer runId={run.id} billId={open} canHold={canHold}
        canRebill={canRebill} onClose={() => setOpen(null)} />
    </>
  );
}
