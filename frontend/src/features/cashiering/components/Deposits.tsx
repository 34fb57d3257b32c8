import {
  Badge, Button, Card, Checkbox, Group, Modal, SegmentedControl, Stack, Table, Text, TextInput, Title,
} from "@mantine/core";
import { useState, type FormEvent } from "react";
import { Link } from "react-router-dom";

import { Money } from "@/components/Money";
import { ReadableAlert } from "@/components/ReadableAlert";
import { useIdempotencyKey } from "@/hooks/useIdempotencyKey";
import { openPdf } from "@/lib/api";
import { useSession } from "@/lib/auth";
import { newId } from "@/lib/ids";
import { can } from "@/lib/permissions";
import { notifyProblem } from "@/lib/queryClient";

import { useConfirmDeposit, useDeposits, usePrepareDeposit, useReady } from "../api/queries";
import type { Deposit, DepositStatus } from "../api/types";
import { localToday, sum } from "../logic";

function Prepare() {
  const ready = useReady();
  const [picked, setPicked] = useState<Set<string>>(new Set());
  const [note, setNote] = useState("");
  const [key, renew] = useIdempotencyKey();
  const [made, setMade] = useState<Deposit | null>(null);
  const prepare = usePrepareDeposit();
  const rows = ready.data ?? [];
  const chosen = rows.filter((r) => picked.has(r.id));

  function toggle(id: string) {
    setPicked((p) => {
      const next = new Set(p);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    prepare.mutate({
      drawerIds: chosen.filter((r) => r.source === "drawer").map((r) => r.id),
      batchIds: chosen.filter((r) => r.source !== "drawer").map((r) => r.id), note, key,
    }, {
      onSuccess: (d) => {
        setMade(d);
        setPicked(new Set());
        setNote("");
        renew();
      },
    });
  }

  return (
    <Card withBorder component="form" onSubmit={submit} aria-label="Prepare a bank deposit">
      <Title order={2} size="h4" mb="sm">Prepare a deposit</Title>
      {rows.length === 0 ? <Text c="dimmed">No closed drawers or posted batches wait.</Text> : (
        <Table aria-label="Ready for a deposit">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>In the bag</Table.Th><Table.Th>Source</Table.Th>
              <Table.Th>Worked by</Table.Th><Table.Th>Taken on</Table.Th>
              <Table.Th>Status</Table.Th><Table.Th ta="right">Amount</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((r) => (
              <Table.Tr key={r.id}>
                <Table.Td>
                  <Checkbox checked={picked.has(r.id)} onChange={() => toggle(r.id)}
                    aria-label={`Deposit the ${r.source} of ${r.worked_by} from ${r.taken_on}`} />
                </Table.Td>
                <Table.Td>{r.source}</Table.Td><Table.Td>{r.worked_by}</Table.Td>
                <Table.Td>{r.taken_on}</Table.Td><Table.Td>{r.status.replace("_", " ")}</Table.Td>
                <Table.Td ta="right"><Money value={r.amount} /></Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <Group justify="space-between" mt="sm" align="flex-end">
        <TextInput label="Note" value={note} onChange={(e) => setNote(e.currentTarget.value)}
          w={320} />
        <Group>
          <Text>In the bag <Money value={sum(chosen.map((r) => r.amount))} fw={700} /></Text>
          <Button type="submit" disabled={chosen.length === 0} loading={prepare.isPending}>
            Prepare deposit
          </Button>
        </Group>
      </Group>
      {made && (
        <ReadableAlert mt="sm" color="green" title={`Deposit ${made.number} prepared`}>
          Cash <Money value={made.cash_total} />, {made.checks_count} check(s){" "}
          <Money value={made.checks_total} />: total <Money value={made.total} />. A supervisor
          signs it off after its drawers.
        </ReadableAlert>
      )}
    </Card>
  );
}

function Confirm({ deposit, onDone }: { deposit: Deposit | null; onDone: () => void }) {
  const [reference, setReference] = useState("");
  const [on, setOn] = useState(localToday());
  const [key] = useState(newId);
  const confirm = useConfirmDeposit();
  if (!deposit) return null;
  function submit(event: FormEvent) {
    event.preventDefault();
    confirm.mutate({ id: deposit!.id, reference: reference.trim(), on, key },
      { onSuccess: onDone });
  }
  return (
    <Modal opened onClose={onDone} centered title={`The bank credited deposit ${deposit.number}`}>
      <Stack component="form" onSubmit={submit} aria-label="Confirm the deposit">
        <TextInput data-autofocus label="Bank reference" required value={reference}
          onChange={(e) => setReference(e.currentTarget.value)} />
        <TextInput type="date" label="Deposited on" required value={on}
          onChange={(e) => setOn(e.currentTarget.value)} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>Cancel</Button>
          <Button type="submit" loading={confirm.isPending}>Confirm</Button>
        </Group>
      </Stack>
    </Modal>
  );
}

/** Bank deposits: prepare from closed drawers and posted batches, the slip, sign-off, the bank. */
export function Deposits() {
  const role = useSession()?.role;
  const [status, setStatus] = useState<DepositStatus>("prepared");
  const deposits = useDeposits(status);
  const [confirming, setConfirming] = useState<Deposit | null>(null);
  return (
    <Stack>
      <Prepare />
      <Group justify="space-between">
        <Title order={2} size="h4">Deposits</Title>
        <SegmentedControl aria-label="Deposit status" value={status}
          onChange={(v) => setStatus(v as DepositStatus)}
          data={[{ value: "prepared", label: "Prepared" },
            { value: "signed_off", label: "Signed off" },
            { value: "deposited", label: "Deposited" }]} />
      </Group>
      {status === "prepared" && can(role, "approvals.inbox") && (
        <Text size="sm">Sign deposits off in the <Link to="/approvals">approvals inbox</Link>.</Text>
      )}
      {deposits.data?.length === 0 && <Text c="dimmed">None.</Text>}
      {deposits.data && deposits.data.length > 0 && (
        <Table aria-label="Deposits" striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Number</Table.Th><Table.Th>Prepared</Table.Th>
              <Table.Th ta="right">Cash</Table.Th><Table.Th ta="right">Checks</Table.Th>
              <Table.Th ta="right">Total</Table.Th><Table.Th>Status</Table.Th><Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {deposits.data.map((d) => (
              <Table.Tr key={d.id}>
                <Table.Td>{d.number}</Table.Td>
                <Table.Td>{d.prepared_on} by {d.prepared_by}</Table.Td>
                <Table.Td ta="right"><Money value={d.cash_total} /></Table.Td>
                <Table.Td ta="right">{d.checks_count} · <Money value={d.checks_total} /></Table.Td>
                <Table.Td ta="right"><Money value={d.total} /></Table.Td>
                <Table.Td>
                  <Badge variant="light">{d.status.replace("_", " ")}</Badge>
                  {d.bank_reference && <Text size="xs">{d.bank_reference}, {d.deposited_on}</Text>}
                </Table.Td>
                <Table.Td>
                  <Group gap="xs" wrap="nowrap">
                    <Button size="xs" variant="light" aria-label={`Slip of deposit ${d.number}`}
                      onClick={() => void openPdf(`/api/payments/bank-deposits/${d.id}/slip.pdf`)
                        .catch(notifyProblem)}>Slip PDF</Button>
                    {d.status === "signed_off" && (
                      <Button size="xs" onClick={() => setConfirming(d)}>Bank confirmed</Button>
                    )}
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <Confirm key={confirming?.id ?? "none"} deposit={confirming}
        onDone={() => setConfirming(null)} />
    </Stack>
  );
}
