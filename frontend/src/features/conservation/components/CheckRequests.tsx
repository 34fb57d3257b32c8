import { Button, Group, Loader, Stack, Table, Text } from "@mantine/core";
import { useState } from "react";

import { Money } from "@/components/Money";
import { ReadableAlert } from "@/components/ReadableAlert";
import { useIdempotencyKey } from "@/hooks/useIdempotencyKey";
import { useSession } from "@/lib/auth";
import { downloadFile } from "@/lib/download";
import { can } from "@/lib/permissions";
import { notifyProblem } from "@/lib/queryClient";

import { useBatchChecks, useCheckRequests, type CheckBatch } from "../api/queries";

/** Approved rebates paid by check, waiting for accounts payable; a supervisor hands them over
 * as one batch (each once) and downloads its CSV for accounts payable. */
export function CheckRequests() {
  const open = useCheckRequests();
  const mayBatch = can(useSession()?.role, "rebates.batch");
  const batch = useBatchChecks();
  const [key, renew] = useIdempotencyKey();
  const [made, setMade] = useState<CheckBatch | null>(null);

  function download(id: string) {
    downloadFile(`/api/accounts/rebates/check-requests?batch=${id}&format=csv`,
      `rebate-checks-${id}.csv`).catch(notifyProblem);
  }

  function hand() {
    batch.mutate({ key }, { onSuccess: (b) => { setMade(b); renew(); } });
  }

  if (open.isLoading) return <Loader role="status" aria-label="Loading check requests" />;
  const rows = open.data?.requests ?? [];
  return (
    <Stack>
      {made?.batch && (
        <ReadableAlert color="teal" title="Handed to accounts payable" withCloseButton
          onClose={() => setMade(null)}>
          <Group>
            <Text size="sm">{made.count} check{made.count === 1 ? "" : "s"}, ${made.total}.</Text>
            <Button size="xs" variant="default" onClick={() => download(made.batch!)}>
              Download CSV</Button>
          </Group>
        </ReadableAlert>
      )}
      <Group justify="space-between">
        <Text>{rows.length} check request{rows.length === 1 ? "" : "s"} waiting,{" "}
          <Money value={open.data?.total ?? "0"} />
        </Text>
        {mayBatch && (
          <Button onClick={hand} loading={batch.isPending} disabled={rows.length === 0}>
            Hand to accounts payable</Button>
        )}
      </Group>
      {rows.length > 0 && (
        <Table striped aria-label="Check requests waiting">
          <Table.Thead>
            <Table.Tr><Table.Th>Payee</Table.Th><Table.Th>Mailing address</Table.Th>
              <Table.Th>Account</Table.Th><Table.Th>Amount</Table.Th>
              <Table.Th>Approved</Table.Th></Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((r) => (
              <Table.Tr key={r.application_id}>
                <Table.Td>{r.payee}</Table.Td><Table.Td>{r.mailing_address}</Table.Td>
                <Table.Td>{r.account_number}</Table.Td>
                <Table.Td><Money value={r.amount} /></Table.Td>
                <Table.Td>{r.approved_on} by {r.approved_by}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}
