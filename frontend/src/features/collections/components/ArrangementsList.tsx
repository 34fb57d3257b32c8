import { Anchor, Checkbox, Group, Loader, Pagination, SegmentedControl, Stack, Table, Text } from "@mantine/core";
import { useState } from "react";
import { Link } from "react-router-dom";

import { Money } from "@/components/Money";

import { PAGE, useArrangements } from "../api/queries";

const STATUSES = ["active", "broken", "completed", "cancelled"].map((s) => ({ value: s, label: s }));

/** Arrangements to watch; the ones behind the longest first. Make one from an account's page. */
export function ArrangementsList() {
  const [status, setStatus] = useState("active");
  const [behind, setBehind] = useState(false);
  const [page, setPage] = useState(1);
  const list = useArrangements(status, behind, (page - 1) * PAGE);
  return (
    <Stack>
      <Group>
        <SegmentedControl aria-label="Status" data={STATUSES} value={status}
          onChange={(v) => { setStatus(v); setPage(1); }} />
        <Checkbox label="Only those behind" checked={behind}
          onChange={(e) => { setBehind(e.currentTarget.checked); setPage(1); }} />
      </Group>
      {list.isPending && <Loader role="status" aria-label="Loading arrangements" />}
      {list.data && (
        <>
          <Text size="sm" c="gray.7">{list.data.total} arrangement(s) as of {list.data.as_of}.
            An arrangement is made from the account's collections page (call list → account).</Text>
          <Table aria-label="Arrangements" striped>
            <Table.Thead><Table.Tr><Table.Th>Account</Table.Th><Table.Th>Kind</Table.Th><Table.Th>Made</Table.Th>
              <Table.Th>Total</Table.Th><Table.Th>Paid</Table.Th><Table.Th>Behind</Table.Th></Table.Tr></Table.Thead>
            <Table.Tbody>
              {list.data.items.map((a) => (
                <Table.Tr key={a.id}>
                  <Table.Td><Anchor component={Link} to={`/collections/accounts/${a.account_id}`}>
                    {a.account_number ?? "—"}</Anchor> <Text span size="sm">{a.name}</Text></Table.Td>
                  <Table.Td>{a.kind}</Table.Td><Table.Td>{a.made_on}</Table.Td>
                  <Table.Td><Money value={a.total} /></Table.Td><Table.Td><Money value={a.paid} /></Table.Td>
                  <Table.Td>{a.days_behind > 0 ? <><Money value={a.behind} /> for {a.days_behind} days</> : "—"}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          {list.data.total > PAGE && (
            <Pagination total={Math.ceil(list.data.total / PAGE)} value={page} onChange={setPage} />
          )}
        </>
      )}
    </Stack>
  );
}
