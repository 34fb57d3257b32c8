import {
  Button, Card, Combobox, Group, Loader, Modal, SegmentedControl, Select, Stack, Table, Text,
  TextInput, Title, useCombobox,
} from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import dayjs from "dayjs";
import { useState, type FormEvent } from "react";

import { ReadableAlert } from "@/components/ReadableAlert";
import { UnsavedChangesModal } from "@/components/UnsavedChangesModal";
import { useIdempotencyKey } from "@/hooks/useIdempotencyKey";
import { useUnsavedChangesGuard } from "@/hooks/useUnsavedChangesGuard";
import { useSession } from "@/lib/auth";
import { can } from "@/lib/permissions";

import {
  accountIdOf, KIND_LABELS, useCancelOrder, useCreateOrder, useDispatch, useOrders, usePremiseSearch,
  type Order, type OrderKind, type SearchHit,
} from "../api/queries";

// Door tags, disconnects and reconnects come from collections (guarded by SB 998), not by hand.
const KINDS = (Object.keys(KIND_LABELS) as OrderKind[])
  .filter((k) => !["door_tag", "disconnect_nonpayment", "reconnect"].includes(k))
  .map((k) => ({ value: k, label: KIND_LABELS[k] }));

function PremisePicker({ value, onPick }: { value: SearchHit | null; onPick: (hit: SearchHit | null) => void }) {
  const [q, setQ] = useState("");
  const [debounced] = useDebouncedValue(q, 200);
  const hits = usePremiseSearch(debounced);
  const combobox = useCombobox();
  return (
    <Combobox store={combobox} onOptionSubmit={(id) => {
      const hit = hits.data?.find((h) => h.id === id) ?? null;
      onPick(hit);
      setQ(hit ? `${hit.title}` : "");
      combobox.closeDropdown();
    }}>
      <Combobox.Target>
        <TextInput label="Premise (address, APN, account, name)" required value={value ? value.title : q}
          onChange={(e) => { onPick(null); setQ(e.currentTarget.value); combobox.openDropdown(); }}
          onFocus={() => combobox.openDropdown()} onBlur={() => combobox.closeDropdown()}
          rightSection={hits.isFetching ? <Loader size="xs" /> : null} />
      </Combobox.Target>
      <Combobox.Dropdown hidden={!hits.data || hits.data.length === 0}>
        <Combobox.Options>
          {(hits.data ?? []).map((h) => (
            <Combobox.Option value={h.id} key={h.id}>
              <Text size="sm">{h.title}</Text>
              <Text size="xs" c="gray.7">{h.subtitle}{h.account_number ? ` · account ${h.account_number}` : ""}</Text>
            </Combobox.Option>
          ))}
        </Combobox.Options>
      </Combobox.Dropdown>
    </Combobox>
  );
}

function CreateOrder() {
  const [kind, setKind] = useState<OrderKind>("re_read");
  const [premise, setPremise] = useState<SearchHit | null>(null);
  const [date, setDate] = useState(dayjs().format("YYYY-MM-DD"));
  const [reason, setReason] = useState("");
  const [made, setMade] = useState<Order | null>(null);
  const [key, renewKey] = useIdempotencyKey();
  const create = useCreateOrder();
  const blocker = useUnsavedChangesGuard(!!premise || reason !== "");

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!premise) return;
    const accountId = premise.account_number ? await accountIdOf(premise.account_number) : null;
    create.mutate({ body: { kind, premise_id: premise.id, account_id: accountId, scheduled_date: date,
      reason: reason.trim() || null }, key }, {
      onSuccess: (order) => { setMade(order); renewKey(); setPremise(null); setReason(""); },
    });
  }

  return (
    <Card withBorder>
      <UnsavedChangesModal blocker={blocker} />
      <Title order={2} size="h4" mb="sm">New service order</Title>
      <Stack component="form" onSubmit={(e) => void submit(e)} aria-label="New service order">
        <Group grow align="flex-start">
          <Select label="Kind" data={KINDS} value={kind} allowDeselect={false}
            onChange={(v) => v && setKind(v as OrderKind)} />
          <TextInput type="date" label="Scheduled for" required value={date}
            onChange={(e) => setDate(e.currentTarget.value)} />
        </Group>
        <PremisePicker value={premise} onPick={setPremise} />
        <TextInput label="Reason" value={reason} onChange={(e) => setReason(e.currentTarget.value)} />
        <Group justify="flex-end"><Button type="submit" disabled={!premise} loading={create.isPending}>Create order</Button></Group>
      </Stack>
      {made && <ReadableAlert color="green.9" mt="sm" title={`Order ${made.number} created`}>
        {KIND_LABELS[made.kind]} at {made.address}, route {made.route}, on {made.scheduled_date}.</ReadableAlert>}
    </Card>
  );
}

function DispatchForm({ order, onDone }: { order: Order; onDone: () => void }) {
  const [technician, setTechnician] = useState(order.technician ?? "");
  const dispatch = useDispatch();
  function submit(event: FormEvent) {
    event.preventDefault();
    dispatch.mutate({ id: order.id, technician: technician.trim() }, { onSuccess: onDone });
  }
  return (
    <Stack component="form" onSubmit={submit} aria-label={`Dispatch order ${order.number}`}>
      <TextInput label="Technician (username)" required data-autofocus value={technician}
        onChange={(e) => setTechnician(e.currentTarget.value)} />
      <Group justify="flex-end"><Button type="submit" loading={dispatch.isPending}>Dispatch</Button></Group>
    </Stack>
  );
}

function CancelForm({ order, onDone }: { order: Order; onDone: () => void }) {
  const [reason, setReason] = useState("");
  const cancel = useCancelOrder();
  function submit(event: FormEvent) {
    event.preventDefault();
    cancel.mutate({ id: order.id, reason }, { onSuccess: onDone });
  }
  return (
    <Stack component="form" onSubmit={submit} aria-label={`Cancel order ${order.number}`}>
      <TextInput label="Reason" required data-autofocus value={reason} onChange={(e) => setReason(e.currentTarget.value)} />
      <Group justify="flex-end"><Button type="submit" color="red" loading={cancel.isPending}>Cancel order</Button></Group>
    </Stack>
  );
}

/** Service orders: create one at a premise, dispatch to a technician, cancel. */
export function OrdersBoard() {
  const role = useSession()?.role;
  const [status, setStatus] = useState<Order["status"]>("open");
  const orders = useOrders(status);
  const [acting, setActing] = useState<{ order: Order; what: "dispatch" | "cancel" } | null>(null);
  const manage = can(role, "orders.manage");
  return (
    <Stack>
      <Title order={1} size="h3">Service orders</Title>
      {manage && <CreateOrder />}
      <SegmentedControl aria-label="Order status" value={status} onChange={(v) => setStatus(v as Order["status"])}
        data={["open", "dispatched", "completed", "cancelled"].map((s) => ({ value: s, label: s }))} />
      {orders.isPending && <Loader role="status" aria-label="Loading orders" />}
      <Table.ScrollContainer minWidth={860}>
        <Table aria-label="Service orders" striped>
          <Table.Thead><Table.Tr><Table.Th>#</Table.Th><Table.Th>Kind</Table.Th><Table.Th>Address</Table.Th>
            <Table.Th>Route</Table.Th><Table.Th>Scheduled</Table.Th><Table.Th>Technician</Table.Th>
            <Table.Th>Actions</Table.Th></Table.Tr></Table.Thead>
          <Table.Tbody>
            {(orders.data ?? []).map((o) => (
              <Table.Tr key={o.id}>
                <Table.Td>{o.number}</Table.Td><Table.Td>{KIND_LABELS[o.kind]}</Table.Td>
                <Table.Td>{o.address}</Table.Td><Table.Td>{o.cycle}/{o.route}</Table.Td>
                <Table.Td>{o.scheduled_date}</Table.Td><Table.Td>{o.technician ?? "—"}</Table.Td>
                <Table.Td>
                  {manage && (o.status === "open" || o.status === "dispatched") && (
                    <Group gap="xs" wrap="nowrap">
                      <Button size="xs" onClick={() => setActing({ order: o, what: "dispatch" })}
                        aria-label={`Dispatch order ${o.number}`}>{o.status === "open" ? "Dispatch" : "Reassign"}</Button>
                      <Button size="xs" variant="subtle" color="red" onClick={() => setActing({ order: o, what: "cancel" })}
                        aria-label={`Cancel order ${o.number}`}>Cancel</Button>
                    </Group>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {orders.data?.length === 0 && <Text c="gray.7">No {status} order.</Text>}
      <Modal opened={!!acting} onClose={() => setActing(null)} closeButtonProps={{ "aria-label": "Close" }}
        title={acting ? `${acting.what === "dispatch" ? "Dispatch" : "Cancel"} order ${acting.order.number}`
          : "Service order"}>
        {acting?.what === "dispatch" && <DispatchForm order={acting.order} onDone={() => setActing(null)} />}
        {acting?.what === "cancel" && <CancelForm order={acting.order} onDone={() => setActing(null)} />}
      </Modal>
    </Stack>
  );
}
