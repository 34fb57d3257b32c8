import {
  Badge, Button, Card, Checkbox, Group, Select, Stack, Table, Text, TextInput, Title,
} from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { useState, type FormEvent } from "react";

import { Money } from "@/components/Money";
import { ReadableAlert } from "@/components/ReadableAlert";
import { UnsavedChangesModal } from "@/components/UnsavedChangesModal";
import { useIdempotencyKey } from "@/hooks/useIdempotencyKey";
import { useUnsavedChangesGuard } from "@/hooks/useUnsavedChangesGuard";
import { useSession } from "@/lib/auth";
import { can } from "@/lib/permissions";

import { useRecordReturn, useReturns } from "../api/queries";
import type { Return, ReturnIn } from "../api/types";
import { localToday, RETURN_CODES } from "../logic";

function RecordReturn({ onRecorded }: { onRecorded: (r: Return) => void }) {
  const role = useSession()?.role;
  const [receipt, setReceipt] = useState("");
  const [code, setCode] = useState<string | null>("NSF");
  const [on, setOn] = useState(localToday());
  const [note, setNote] = useState("");
  const [waive, setWaive] = useState(false);
  const [waiveReason, setWaiveReason] = useState("");
  const [key, renew] = useIdempotencyKey();
  const record = useRecordReturn();
  const blocker = useUnsavedChangesGuard(receipt !== "" || note !== "");

  function submit(event: FormEvent) {
    event.preventDefault();
    const body: ReturnIn = { receipt_number: Number.parseInt(receipt, 10),
      return_code: code ?? "NSF", returned_on: on, note: note || null, waive_fee: waive,
      waive_reason: waive ? waiveReason || null : null };
    record.mutate({ body, key }, {
      onSuccess: (r) => {
        setReceipt("");
        setNote("");
        setWaive(false);
        setWaiveReason("");
        renew();
        onRecorded(r);
      },
    });
  }

  return (
    <Card withBorder component="form" onSubmit={submit} aria-label="Record a returned payment">
      <UnsavedChangesModal blocker={blocker} />
      <Title order={2} size="h4" mb="sm">Record a returned check or money order</Title>
      <Group align="flex-end" wrap="wrap">
        <TextInput label="Receipt number" required inputMode="numeric" value={receipt}
          onChange={(e) => setReceipt(e.currentTarget.value.replace(/\D/g, ""))} w={150} />
        <Select label="Bank's reason" data={RETURN_CODES} value={code} onChange={setCode}
          allowDeselect={false} w={230} />
        <TextInput type="date" label="Returned on" required value={on}
          onChange={(e) => setOn(e.currentTarget.value)} />
        <TextInput label="Note" value={note} required={code === "OTHER"} w={240}
          onChange={(e) => setNote(e.currentTarget.value)} />
      </Group>
      {can(role, "refunds.decide") && (
        <Group mt="sm" align="flex-end">
          <Checkbox label="Waive the returned-payment fee" checked={waive}
            onChange={(e) => setWaive(e.currentTarget.checked)} />
          {waive && (
            <TextInput label="Why it is waived" required value={waiveReason} w={300}
              onChange={(e) => setWaiveReason(e.currentTarget.value)} />
          )}
        </Group>
      )}
      <Group justify="flex-end" mt="sm">
        <Button type="submit" color="red" loading={record.isPending}>Record return</Button>
      </Group>
    </Card>
  );
}

/** Returned payments (NSF): reversed on the ledger, the fee assessed, cash-only after repeats. */
export function Returns() {
  const [account, setAccount] = useState("");
  const [lookup] = useDebouncedValue(account.replace(/[\s-]/g, ""), 300);
  const returns = useReturns(lookup);
  const [last, setLast] = useState<Return | null>(null);
  return (
    <Stack>
      <RecordReturn onRecorded={setLast} />
      {last && (
        <ReadableAlert color="orange" title={`Receipt ${last.receipt_number} returned`}
          withCloseButton onClose={() => setLast(null)}>
          <Money value={last.amount} /> reversed on account {last.account_number}
          {last.fee ? <>; fee <Money value={last.fee} /></> : "; no fee"}
          {last.cash_only ? ". The account now pays cash only." : "."}
        </ReadableAlert>
      )}
      <Group justify="space-between" align="flex-end">
        <Title order={2} size="h4">Returned payments</Title>
        <TextInput label="Of account" value={account} w={200}
          onChange={(e) => setAccount(e.currentTarget.value)} />
      </Group>
      {returns.data?.length === 0 && <Text c="dimmed">No returned payments.</Text>}
      {returns.data && returns.data.length > 0 && (
        <Table aria-label="Returned payments" striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Returned</Table.Th><Table.Th>Receipt</Table.Th><Table.Th>Account</Table.Th>
              <Table.Th>Reason</Table.Th><Table.Th ta="right">Amount</Table.Th>
              <Table.Th ta="right">Fee</Table.Th><Table.Th>By</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {returns.data.map((r) => (
              <Table.Tr key={r.id}>
                <Table.Td>{r.returned_on}</Table.Td><Table.Td>{r.receipt_number}</Table.Td>
                <Table.Td>
                  {r.account_number} {r.cash_only && <Badge color="orange" size="xs">cash only</Badge>}
                </Table.Td>
                <Table.Td>{r.return_code}</Table.Td>
                <Table.Td ta="right"><Money value={r.amount} /></Table.Td>
                <Table.Td ta="right">
                  {r.fee ? <Money value={r.fee} /> : r.fee_waived_by ? "waived" : "—"}
                </Table.Td>
                <Table.Td>{r.returned_by}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}
