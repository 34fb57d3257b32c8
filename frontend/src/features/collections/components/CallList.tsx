import {
  Anchor, Badge, Button, Checkbox, Group, Loader, Modal, Pagination, Stack, Table, Text,
  TextInput, VisuallyHidden,
} from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { useState } from "react";
import { Link } from "react-router-dom";

import { ReadableAlert } from "@/components/ReadableAlert";
import { Money } from "@/components/Money";

import { PAGE, useCallList, type CallListItem } from "../api/queries";
import { LogCallForm, outcomeLabel } from "./LogCallForm";

/** The CSR II's call list: past-due accounts, most days past due first, a call logged in place. */
export function CallList() {
  const [minDays, setMinDays] = useState("");
  const [minAmount, setMinAmount] = useState("");
  const [cycle, setCycle] = useState("");
  const [includeArranged, setIncludeArranged] = useState(false);
  const [page, setPage] = useState(1);
  const [calling, setCalling] = useState<CallListItem | null>(null);
  const [last, setLast] = useState<CallListItem | null>(null); // named while the dialog fades out
  const [saved, setSaved] = useState<string | null>(null);
  const [filter] = useDebouncedValue({
    minDays: /^\d+$/.test(minDays) ? Number(minDays) : undefined,
    minAmount: /^\d+(\.\d{1,2})?$/.test(minAmount) ? minAmount : undefined,
    cycle: cycle.trim(), includeArranged, offset: (page - 1) * PAGE,
  }, 300);
  const list = useCallList(filter);

  return (
    <Stack>
      <Group align="flex-end">
        <TextInput label="At least days past due" inputMode="numeric" w={170} value={minDays}
          onChange={(e) => { setMinDays(e.currentTarget.value); setPage(1); }} />
        <TextInput label="At least past due ($)" inputMode="decimal" w={170} value={minAmount}
          onChange={(e) => { setMinAmount(e.currentTarget.value); setPage(1); }} />
        <TextInput label="Cycle" w={120} value={cycle}
          onChange={(e) => { setCycle(e.currentTarget.value); setPage(1); }} />
        <Checkbox label="Include accounts with an arrangement" checked={includeArranged}
          onChange={(e) => { setIncludeArranged(e.currentTarget.checked); setPage(1); }} />
      </Group>
      {saved && <ReadableAlert color="green.9" title="Call saved" withCloseButton closeButtonLabel="Dismiss"
        onClose={() => setSaved(null)}>{saved}</ReadableAlert>}
      {list.isPending && <Loader role="status" aria-label="Loading the call list" />}
      {list.data && (
        <>
          <Text size="sm" c="gray.7">
            {list.data.total} account(s) past due as of {list.data.as_of}
          </Text>
          <Table.ScrollContainer minWidth={900}>
            <Table striped highlightOnHover aria-label="Call list">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Account</Table.Th><Table.Th>Phones</Table.Th>
                  <Table.Th>Days</Table.Th><Table.Th>Past due</Table.Th>
                  <Table.Th>Balance</Table.Th><Table.Th>Last call</Table.Th>
                  <Table.Th>Promise</Table.Th><Table.Th><VisuallyHidden>Actions</VisuallyHidden></Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {list.data.items.map((row) => (
                  <Table.Tr key={row.account_id}>
                    <Table.Td>
                      <Anchor component={Link} to={`/collections/accounts/${row.account_id}`}>
                        {row.number ?? row.account_id.slice(0, 8)}
                      </Anchor>
                      <Text size="sm">{row.name}</Text>
                      {row.arrangement_id && <Badge size="xs" color="teal">arrangement</Badge>}
                    </Table.Td>
                    <Table.Td>
                      {row.phones.map((p) => <Text size="sm" key={p}>{p}</Text>)}
                      {row.language && row.language !== "en" && (
                        <Badge size="xs" variant="light">{row.language}</Badge>
                      )}
                    </Table.Td>
                    <Table.Td>{row.days_past_due}</Table.Td>
                    <Table.Td><Money value={row.past_due} /></Table.Td>
                    <Table.Td><Money value={row.balance} /></Table.Td>
                    <Table.Td>
                      {row.last_outcome ? (
                        <Text size="sm">{outcomeLabel(row.last_outcome)}
                          {row.last_called_at ? ` · ${row.last_called_at.slice(0, 10)}` : ""}
                          {row.last_called_by ? ` · ${row.last_called_by}` : ""}</Text>
                      ) : <Text size="sm" c="gray.7">never</Text>}
                    </Table.Td>
                    <Table.Td>
                      {row.promise_id ? (
                        <Text size="sm"><Money value={row.promise_amount} /> by {row.promised_on}</Text>
                      ) : "—"}
                    </Table.Td>
                    <Table.Td>
                      <Button size="xs" onClick={() => { setCalling(row); setLast(row); }}
                        aria-label={`Log call for ${row.number ?? row.name ?? "account"}`}>
                        Log call
                      </Button>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          {list.data.total > PAGE && (
            <Pagination total={Math.ceil(list.data.total / PAGE)} value={page} onChange={setPage}
              getControlProps={(control) => ({ "aria-label": `${control} page` })} />
          )}
        </>
      )}
      <Modal opened={!!calling} onClose={() => setCalling(null)} closeButtonProps={{ "aria-label": "Close" }}
        title={last ? `Call ${last.name ?? last.number}` : "Call"} size="lg">
        {calling && (
          <LogCallForm row={calling} onDone={(call) => {
            setCalling(null);
            setSaved(`${outcomeLabel(call.outcome)} on account ${calling.number ?? ""}` +
              (call.promise ? `: $${call.promise.amount} promised by ${call.promise.promised_on}` : ""));
          }} />
        )}
      </Modal>
    </Stack>
  );
}
