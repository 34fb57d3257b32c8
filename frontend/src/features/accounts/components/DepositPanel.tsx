import { Button, Group, Select, Stack, Table, Text, TextInput, Title } from "@mantine/core";
import { useState, type FormEvent } from "react";

import { Money } from "@/components/Money";
import { useIdempotencyKey } from "@/hooks/useIdempotencyKey";

import { useDeposit, useReleaseDeposit } from "../api/service";
import { today } from "./StartServiceForm";

function ReleaseForm({ accountId }: { accountId: string }) {
  const [method, setMethod] = useState<"refund" | "credit">("credit");
  const [onDate, setOnDate] = useState(today);
  const [reason, setReason] = useState("");
  const [key, renewKey] = useIdempotencyKey();
  const release = useReleaseDeposit(accountId);
  function submit(event: FormEvent) {
    event.preventDefault();
    release.mutate({ body: { method, on_date: onDate, reason: reason.trim() || null }, key },
      { onSuccess: renewKey });
  }
  return (
    <form onSubmit={submit} aria-label="Release the deposit">
      <Group align="flex-end">
        <Select label="Release as" value={method} allowDeselect={false} w={220}
          onChange={(v) => v && setMethod(v as "refund" | "credit")}
          data={[{ value: "credit", label: "Credit to the account" },
            { value: "refund", label: "Refund to the customer" }]} />
        <TextInput type="date" label="On" required value={onDate} w={170}
          onChange={(e) => setOnDate(e.currentTarget.value)} />
        <TextInput label="Reason" value={reason} style={{ flex: 1 }}
          onChange={(e) => setReason(e.currentTarget.value)} />
        <Button type="submit" loading={release.isPending}>Release deposit</Button>
      </Group>
    </form>
  );
}

/** The deposit held (set by policy at move-in) and its history; supervisors release it. */
export function DepositPanel({ accountId, canRelease }: {
  accountId: string; canRelease: boolean;
}) {
  const deposit = useDeposit(accountId);
  if (!deposit.data) return <Text c="dimmed">Loading the deposit…</Text>;
  const held = deposit.data.held;
  return (
    <Stack>
      <Group>
        <Title order={3} size="h5">Deposit held</Title>
        <Money value={held} fw={700} data-testid="deposit-held" />
        {deposit.data.held_since && <Text size="sm" c="dimmed">since {deposit.data.held_since}</Text>}
      </Group>
      {canRelease && !/^0(\.0+)?$/.test(held) && <ReleaseForm accountId={accountId} />}
      {deposit.data.transactions.length === 0 ? <Text c="dimmed">No deposit history.</Text> : (
        <Table striped aria-label="Deposit history">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>On</Table.Th><Table.Th>What</Table.Th><Table.Th ta="right">Amount</Table.Th>
              <Table.Th>Reason</Table.Th><Table.Th>By</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {deposit.data.transactions.map((t, i) => (
              <Table.Tr key={i}>
                <Table.Td>{t.on_date}</Table.Td><Table.Td>{t.kind.replace(/_/g, " ")}</Table.Td>
                <Table.Td ta="right"><Money value={t.amount} /></Table.Td>
                <Table.Td>{t.reason ?? ""}</Table.Td><Table.Td>{t.actor}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}
