import {
  Badge, Button, Card, Group, SegmentedControl, SimpleGrid, Stack, Table, Text, TextInput, Title,
} from "@mantine/core";
import { useState, type FormEvent } from "react";

import { Money } from "@/components/Money";
import { ReadableAlert } from "@/components/ReadableAlert";
import { UnsavedChangesModal } from "@/components/UnsavedChangesModal";
import { useIdempotencyKey } from "@/hooks/useIdempotencyKey";
import { useUnsavedChangesGuard } from "@/hooks/useUnsavedChangesGuard";
import { useSession } from "@/lib/auth";
import { can } from "@/lib/permissions";

import {
  useBatch, useBatches, useKeyPayment, useOpenBatch, usePostBatch, useRemoveKeyed,
} from "../api/queries";
import type { Batch, MailPaymentIn } from "../api/types";
import { localToday, remainingOnTape, tapeDifference } from "../logic";

function OpenBatch({ onOpened }: { onOpened: (id: string) => void }) {
  const [receivedOn, setReceivedOn] = useState(localToday());
  const [total, setTotal] = useState("");
  const [count, setCount] = useState("");
  const [key, renew] = useIdempotencyKey();
  const open = useOpenBatch();
  const blocker = useUnsavedChangesGuard(total !== "" || count !== "");

  function submit(event: FormEvent) {
    event.preventDefault();
    open.mutate({ key, body: { received_on: receivedOn, control_total: total.trim(),
      control_count: Number.parseInt(count, 10) } }, {
      onSuccess: (b) => {
        setTotal("");
        setCount("");
        renew();
        onOpened(b.id);
      },
    });
  }

  return (
    <Card withBorder component="form" onSubmit={submit} aria-label="Open a mail batch">
      <UnsavedChangesModal blocker={blocker} />
      <Title order={2} size="h4" mb="sm">Open a batch from the tape</Title>
      <Group align="flex-end">
        <TextInput type="date" label="Received on" required value={receivedOn}
          onChange={(e) => setReceivedOn(e.currentTarget.value)} />
        <TextInput label="Control total ($)" inputMode="decimal" required value={total}
          onChange={(e) => setTotal(e.currentTarget.value)} w={160} />
        <TextInput label="Control count" inputMode="numeric" required value={count}
          onChange={(e) => setCount(e.currentTarget.value.replace(/\D/g, ""))} w={130} />
        <Button type="submit" loading={open.isPending}>Open batch</Button>
      </Group>
    </Card>
  );
}

function TapeFigures({ batch }: { batch: Batch }) {
  const diff = tapeDifference(batch);
  return (
    <SimpleGrid cols={{ base: 2, sm: 4 }}>
      <Text size="sm">Control <Money value={batch.control_total} /> in {batch.control_count}</Text>
      <Text size="sm">Keyed <Money value={batch.keyed_total} /> in {batch.keyed_count}</Text>
      <Text size="sm">Left on the tape <Money value={remainingOnTape(batch)} /></Text>
      {diff.balanced ? <Badge color="green" data-testid="batch-difference">Balanced</Badge> : (
        <Text size="sm" data-testid="batch-difference">
          Difference <Money value={diff.total} /> and {diff.count} check(s)
        </Text>
      )}
    </SimpleGrid>
  );
}

function KeyCheck({ batch }: { batch: Batch }) {
  const [account, setAccount] = useState("");
  const [amount, setAmount] = useState("");
  const [tender, setTender] = useState<"check" | "money_order">("check");
  const [number, setNumber] = useState("");
  const [bank, setBank] = useState("");
  const [key, renew] = useIdempotencyKey();
  const keyIn = useKeyPayment(batch.id);
  const blocker = useUnsavedChangesGuard(account !== "" || amount !== "");

  function submit(event: FormEvent) {
    event.preventDefault();
    const body: MailPaymentIn = { account_number: account.trim(), amount: amount.trim(), tender };
    if (tender === "check") Object.assign(body, { check_number: number || null, bank: bank || null });
    else body.money_order_number = number || null;
    keyIn.mutate({ body, key }, {
      onSuccess: () => {
        setAccount("");
        setAmount("");
        setNumber("");
        renew();
      },
    });
  }

  return (
    <Stack component="form" onSubmit={submit} aria-label="Key a check" gap="xs">
      <UnsavedChangesModal blocker={blocker} />
      <Group align="flex-end" wrap="wrap">
        <TextInput label="Account number" required value={account} autoComplete="off"
          onChange={(e) => setAccount(e.currentTarget.value)} w={170} />
        <TextInput label="Amount ($)" required inputMode="decimal" value={amount}
          onChange={(e) => setAmount(e.currentTarget.value)} w={120} />
        <SegmentedControl aria-label="Tender" value={tender}
          onChange={(v) => setTender(v as "check" | "money_order")}
          data={[{ value: "check", label: "Check" }, { value: "money_order", label: "Money order" }]} />
        <TextInput label={tender === "check" ? "Check number" : "Money order number"}
          value={number} onChange={(e) => setNumber(e.currentTarget.value)} w={150} />
        {tender === "check" && (
          <TextInput label="Bank" value={bank} onChange={(e) => setBank(e.currentTarget.value)}
            w={150} />
        )}
        <Button type="submit" loading={keyIn.isPending}>Key it</Button>
      </Group>
    </Stack>
  );
}

function BatchDetail({ batchId }: { batchId: string }) {
  const role = useSession()?.role;
  const batch = useBatch(batchId);
  const remove = useRemoveKeyed(batchId);
  const [postKey] = useIdempotencyKey();
  const post = usePostBatch(batchId);
  if (!batch.data) return null;
  const b = batch.data;
  const open = b.status === "open";
  const diff = tapeDifference(b);
  return (
    <Card withBorder>
      <Group justify="space-between" mb="sm">
        <Title order={2} size="h4">
          Batch received {b.received_on}, keyed by {b.keyed_by}
        </Title>
        <Badge color={open ? "blue" : "green"}>{b.status}</Badge>
      </Group>
      <TapeFigures batch={b} />
      {open && can(role, "batches.key") && <KeyCheck batch={b} />}
      {b.payments.length > 0 && (
        <Table mt="sm" aria-label="Keyed checks" striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Receipt</Table.Th><Table.Th>Account</Table.Th><Table.Th>Tender</Table.Th>
              <Table.Th>Number</Table.Th><Table.Th ta="right">Amount</Table.Th><Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {b.payments.map((p) => (
              <Table.Tr key={p.id}>
                <Table.Td>{p.receipt_number}</Table.Td><Table.Td>{p.account_number}</Table.Td>
                <Table.Td>{p.tender.replace("_", " ")}</Table.Td>
                <Table.Td>{p.check_number ?? p.money_order_number ?? "—"}</Table.Td>
                <Table.Td ta="right"><Money value={p.amount} /></Table.Td>
                <Table.Td>
                  {open && can(role, "batches.key") && (
                    <Button size="xs" variant="subtle" color="red" loading={remove.isPending}
                      aria-label={`Remove receipt ${p.receipt_number}`}
                      onClick={() => remove.mutate(p.id)}>Remove</Button>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {open && (
        <Group justify="flex-end" mt="md">
          {!diff.balanced && (
            <Text size="sm" c="red.9">Posts only when count and total match the tape.</Text>
          )}
          <Button color="green" disabled={!diff.balanced} loading={post.isPending}
            onClick={() => post.mutate(postKey)}>Post batch</Button>
        </Group>
      )}
    </Card>
  );
}

/** Mail batches: the tape's control total and count, checks keyed against it, posted when even. */
export function MailBatches() {
  const role = useSession()?.role;
  const [status, setStatus] = useState<"open" | "posted">("open");
  const batches = useBatches(status);
  const [selected, setSelected] = useState<string | null>(null);
  return (
    <Stack>
      {can(role, "batches.key") && <OpenBatch onOpened={setSelected} />}
      <Group justify="space-between">
        <Title order={2} size="h4">Batches</Title>
        <SegmentedControl aria-label="Batch status" value={status}
          onChange={(v) => setStatus(v as "open" | "posted")}
          data={[{ value: "open", label: "Open" }, { value: "posted", label: "Posted" }]} />
      </Group>
      {batches.data?.length === 0 && <ReadableAlert color="gray">No {status} batches.</ReadableAlert>}
      {batches.data && batches.data.length > 0 && (
        <Table aria-label={`${status} batches`} highlightOnHover>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Received</Table.Th><Table.Th>Keyed by</Table.Th>
              <Table.Th ta="right">Control</Table.Th><Table.Th ta="right">Keyed</Table.Th>
              <Table.Th>Tape</Table.Th><Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {batches.data.map((b) => {
              const d = tapeDifference(b);
              return (
                <Table.Tr key={b.id} bg={selected === b.id ? "blue.0" : undefined}>
                  <Table.Td>{b.received_on}</Table.Td><Table.Td>{b.keyed_by}</Table.Td>
                  <Table.Td ta="right"><Money value={b.control_total} /> / {b.control_count}</Table.Td>
                  <Table.Td ta="right"><Money value={b.keyed_total} /> / {b.keyed_count}</Table.Td>
                  <Table.Td>{d.balanced ? "balanced" : `off by ${d.total} and ${d.count}`}</Table.Td>
                  <Table.Td>
                    <Button size="xs" variant="light" onClick={() => setSelected(b.id)}
                      aria-label={`Open batch of ${b.received_on} by ${b.keyed_by}`}>
                      {status === "open" ? "Key checks" : "View"}
                    </Button>
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      )}
      {selected && <BatchDetail batchId={selected} />}
    </Stack>
  );
}
