import {
  Anchor, Badge, Button, Card, Checkbox, Group, Loader, Modal, SimpleGrid, Stack, Table, Tabs, Text,
  TextInput, Title, VisuallyHidden,
} from "@mantine/core";
import { useState, type FormEvent } from "react";
import { Link, useParams } from "react-router-dom";

import { Money } from "@/components/Money";
import { ReadableAlert } from "@/components/ReadableAlert";
import { useIdempotencyKey } from "@/hooks/useIdempotencyKey";
import { useSession } from "@/lib/auth";
import { can } from "@/lib/permissions";

import {
  useAccountArrangements, useAging, useCalls, useCancelArrangement, useCancelPromise,
  useCollectionsAccount, useDefaultMonths, useGuardrails, usePromises, useRequestReconnect,
  type Arrangement,
} from "../api/queries";
import { ArrangementForm } from "./ArrangementForm";
import { BUCKETS } from "./buckets";
import { GuardrailList } from "./GuardrailList";
import { LateCharges } from "./LateCharges";
import { outcomeLabel } from "./LogCallForm";
import { ProtectionsPanel } from "./ProtectionsPanel";

/** A reason asked for before something is cancelled (audited with who and why). */
function ReasonModal({ title, opened, onClose, onSubmit, pending }: {
  title: string; opened: boolean; onClose: () => void; onSubmit: (reason: string) => void;
  pending: boolean;
}) {
  const [reason, setReason] = useState("");
  function submit(event: FormEvent) {
    event.preventDefault();
    onSubmit(reason);
  }
  return (
    <Modal opened={opened} onClose={onClose} title={title} closeButtonProps={{ "aria-label": "Close" }}>
      <Stack component="form" onSubmit={submit} aria-label={title}>
        <TextInput label="Reason" required data-autofocus value={reason}
          onChange={(e) => setReason(e.currentTarget.value)} />
        <Group justify="flex-end"><Button type="submit" color="red" loading={pending}>Confirm</Button></Group>
      </Stack>
    </Modal>
  );
}

function ArrangementCard({ a }: { a: Arrangement }) {
  const [cancelling, setCancelling] = useState(false);
  const cancel = useCancelArrangement();
  const role = useSession()?.role;
  return (
    <Card withBorder>
      <Group justify="space-between">
        <Text fw={600}>{a.kind} · made {a.made_on} by {a.created_by}</Text>
        <Badge color={a.status === "active" ? "teal" : a.status === "broken" ? "red" : "gray"}>{a.status}</Badge>
      </Group>
      <Text size="sm">Total <Money value={a.total} /> · paid <Money value={a.paid} /> · left <Money value={a.left} /></Text>
      <Table aria-label={`Instalments of the arrangement made ${a.made_on}`} mt="xs">
        <Table.Thead><Table.Tr><Table.Th>#</Table.Th><Table.Th>Due</Table.Th><Table.Th>Amount</Table.Th>
          <Table.Th>Paid</Table.Th><Table.Th>Days past due</Table.Th></Table.Tr></Table.Thead>
        <Table.Tbody>
          {a.instalments.map((i) => (
            <Table.Tr key={i.seq}><Table.Td>{i.seq}</Table.Td><Table.Td>{i.due_on}</Table.Td>
              <Table.Td><Money value={i.amount} /></Table.Td><Table.Td><Money value={i.paid} /></Table.Td>
              <Table.Td>{i.past_due_days || ""}</Table.Td></Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {a.status === "active" && can(role, "collections.work") && (
        <Group justify="flex-end" mt="xs">
          <Button size="xs" variant="subtle" color="red" onClick={() => setCancelling(true)}>
            Cancel arrangement
          </Button>
        </Group>
      )}
      <ReasonModal title="Cancel the arrangement" opened={cancelling} pending={cancel.isPending}
        onClose={() => setCancelling(false)}
        onSubmit={(reason) => cancel.mutate({ id: a.id, reason }, { onSuccess: () => setCancelling(false) })} />
    </Card>
  );
}

/** A reconnect asked for by staff; the fee follows the policy (low-income capped by SB 998). */
function ReconnectRequest({ accountId }: { accountId: string }) {
  const [afterHours, setAfterHours] = useState(false);
  const [key, renewKey] = useIdempotencyKey();
  const request = useRequestReconnect(accountId);
  return (
    <Group>
      <Checkbox label="After hours (the after-hours fee)" checked={afterHours}
        onChange={(e) => setAfterHours(e.currentTarget.checked)} />
      <Button variant="outline" loading={request.isPending}
        onClick={() => request.mutate({ afterHours, key }, { onSuccess: renewKey })}>
        Request a reconnect</Button>
      {request.isSuccess && <Text size="sm">Reconnect order released for {request.data.scheduled_on}.</Text>}
    </Group>
  );
}

/** One account's collections: aging, guardrails, calls and promises, arrangements, late charges,
 * protections. */
export function AccountCollectionsPage() {
  const { accountId = "" } = useParams();
  const role = useSession()?.role;
  const account = useCollectionsAccount(accountId);
  const aging = useAging(accountId);
  const guard = useGuardrails(accountId);
  const calls = useCalls(accountId);
  const promises = usePromises(accountId);
  const arrangements = useAccountArrangements(accountId);
  const cancelPromise = useCancelPromise();
  const defaultMonths = useDefaultMonths();
  const [cancelling, setCancelling] = useState<string | null>(null);
  const today = aging.data?.as_of ?? new Date().toISOString().slice(0, 10);

  if (account.isPending) return <Loader role="status" aria-label="Loading the account" />;
  if (!account.data) return <ReadableAlert color="red.9" title="Unknown account">Collections has no such account.</ReadableAlert>;
  const a = account.data;
  const active = arrangements.data?.some((x) => x.status === "active");

  return (
    <Stack>
      <Group justify="space-between">
        <div>
          <Title order={1} size="h3">{a.customer_name ?? "—"}</Title>
          <Text c="gray.7">Account {a.number} · {a.status} · notices in {a.language}
            {a.open_appeals > 0 ? ` · ${a.open_appeals} open appeal(s)` : ""}</Text>
        </div>
        <Anchor component={Link} to={`/accounts/${a.number}`}>Account 360</Anchor>
      </Group>
      {aging.data && (
        <SimpleGrid cols={{ base: 2, sm: 4, lg: 7 }}>
          {BUCKETS.map((b) => (
            <Card withBorder key={b.key} p="xs">
              <Text size="xs" c="gray.7">{b.label}</Text>
              <Money value={aging.data.buckets[b.key]} />
            </Card>
          ))}
          <Card withBorder p="xs">
            <Text size="xs" c="gray.7">Past due ({aging.data.days_past_due} days)</Text>
            <Money value={aging.data.past_due} data-testid="collections-past-due" fw={700} />
          </Card>
        </SimpleGrid>
      )}
      <Tabs defaultValue="calls" keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="calls">Calls and promises</Tabs.Tab>
          <Tabs.Tab value="arrangements">Arrangements</Tabs.Tab>
          <Tabs.Tab value="late-charges">Late charges</Tabs.Tab>
          <Tabs.Tab value="protections">Protections</Tabs.Tab>
          <Tabs.Tab value="guardrails">Disconnection guardrails</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="calls" pt="md">
          <Title order={2} size="h5">Promises</Title>
          <Table aria-label="Promises">
            <Table.Thead><Table.Tr><Table.Th>Made</Table.Th><Table.Th>Pay by</Table.Th><Table.Th>Amount</Table.Th>
              <Table.Th>Status</Table.Th><Table.Th><VisuallyHidden>Actions</VisuallyHidden></Table.Th></Table.Tr></Table.Thead>
            <Table.Tbody>
              {(promises.data ?? []).map((p) => (
                <Table.Tr key={p.id}>
                  <Table.Td>{p.made_on} by {p.created_by}</Table.Td><Table.Td>{p.promised_on}</Table.Td>
                  <Table.Td><Money value={p.amount} /></Table.Td><Table.Td>{p.status}</Table.Td>
                  <Table.Td>{p.status === "open" && can(role, "collections.work") && (
                    <Button size="xs" variant="subtle" color="red" onClick={() => setCancelling(p.id)}>Cancel</Button>)}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          <Title order={2} size="h5" mt="md">Calls</Title>
          <Table aria-label="Calls">
            <Table.Thead><Table.Tr><Table.Th>When</Table.Th><Table.Th>Who</Table.Th><Table.Th>Outcome</Table.Th>
              <Table.Th>Phone</Table.Th><Table.Th>Note</Table.Th></Table.Tr></Table.Thead>
            <Table.Tbody>
              {(calls.data ?? []).map((c) => (
                <Table.Tr key={c.id}><Table.Td>{c.called_at.slice(0, 16).replace("T", " ")}</Table.Td>
                  <Table.Td>{c.called_by}</Table.Td><Table.Td>{outcomeLabel(c.outcome)}</Table.Td>
                  <Table.Td>{c.phone}</Table.Td><Table.Td>{c.note}</Table.Td></Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          <ReasonModal title="Cancel the promise" opened={!!cancelling} pending={cancelPromise.isPending}
            onClose={() => setCancelling(null)}
            onSubmit={(reason) => cancelling && cancelPromise.mutate({ id: cancelling, reason },
              { onSuccess: () => setCancelling(null) })} />
        </Tabs.Panel>
        <Tabs.Panel value="arrangements" pt="md">
          <Stack>
            {!active && can(role, "collections.work") && aging.data && (
              <Card withBorder>
                <ArrangementForm accountId={accountId} pastDue={aging.data.past_due} today={today}
                  defaultMonths={defaultMonths} onDone={() => undefined} />
              </Card>
            )}
            {(arrangements.data ?? []).map((x) => <ArrangementCard key={x.id} a={x} />)}
            {arrangements.data?.length === 0 && <Text c="gray.7">No arrangement yet.</Text>}
          </Stack>
        </Tabs.Panel>
        <Tabs.Panel value="late-charges" pt="md">
          <LateCharges accountId={accountId} canReverse={can(role, "collections.work")} />
        </Tabs.Panel>
        <Tabs.Panel value="protections" pt="md">
          <ProtectionsPanel accountId={accountId} today={today} />
        </Tabs.Panel>
        <Tabs.Panel value="guardrails" pt="md">
          {guard.data && (
            <Stack>
              <Text>{guard.data.allowed
                ? `Disconnection is allowed on ${guard.data.day}.`
                : `Disconnection is not allowed on ${guard.data.day}` +
                  `${guard.data.next_on ? `; next allowed ${guard.data.next_on}` : ""}.`}</Text>
              <GuardrailList refusals={guard.data.refusals} />
              {can(role, "orders.manage") && <ReconnectRequest accountId={accountId} />}
            </Stack>
          )}
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
