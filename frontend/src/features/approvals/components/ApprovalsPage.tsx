import { Badge, Button, Chip, Group, Loader, Stack, Table, Text, Title } from "@mantine/core";
import { useMemo, useState } from "react";
import { Link } from "react-router-dom";

import { Money } from "@/components/Money";
import { ReadableAlert } from "@/components/ReadableAlert";
import { useSession } from "@/lib/auth";
import { newId } from "@/lib/ids";
import { formatMoney } from "@/lib/money";

import { useAccountNumber, useDecide, useInbox, useMe } from "../api/queries";
import {
  aboveAuthority, KIND_ORDER, KINDS, splitInbox, type Kind, type PendingItem,
} from "../pending";
import { DecisionModal, type Verdict } from "./DecisionModal";

function AccountCell({ item }: { item: PendingItem }) {
  const looked = useAccountNumber(item.accountId, item.accountNumber);
  const number = item.accountNumber ?? looked.data ?? null;
  if (number) return <Link to={`/accounts/${number}`}>{number}</Link>;
  return <Text span c="dimmed">{item.accountId ? "…" : "—"}</Text>;
}

function when(value: string | null): string {
  if (!value) return "—";
  return value.length > 10 ? new Date(value).toLocaleString() : value;
}

function Row({ item, authority, actionable, onPick }: {
  item: PendingItem;
  authority: string | null;
  actionable: boolean;
  onPick: (item: PendingItem, verdict: Verdict) => void;
}) {
  const info = KINDS[item.kind];
  const above = aboveAuthority(item, authority);
  return (
    <Table.Tr data-kind={item.kind}>
      <Table.Td><Badge variant="light" color="gray">{info.label}</Badge></Table.Td>
      <Table.Td>
        <Text size="sm">{item.what}</Text>
        {item.why && <Text size="xs" c="dimmed">{item.why}</Text>}
      </Table.Td>
      <Table.Td><AccountCell item={item} /></Table.Td>
      <Table.Td ta="right">{item.amount !== null ? <Money value={item.amount} /> : "—"}</Table.Td>
      <Table.Td>{item.requestedBy}</Table.Td>
      <Table.Td>{when(item.requestedAt)}</Table.Td>
      <Table.Td>
        {actionable ? (
          <Group gap="xs" wrap="nowrap">
            {above ? (
              <Text size="xs" c="red.9">Above your {formatMoney(authority)} authority</Text>
            ) : (
              <Button size="xs" onClick={() => onPick(item, "approve")}
                aria-label={`${info.approve} ${info.label} ${item.what}`}>{info.approve}</Button>
            )}
            {info.reject && (
              <Button size="xs" variant="light" color="red" onClick={() => onPick(item, "reject")}
                aria-label={`${info.reject} ${info.label} ${item.what}`}>{info.reject}</Button>
            )}
          </Group>
        ) : (
          <Text size="xs" c="dimmed">Waits for another approver</Text>
        )}
      </Table.Td>
    </Table.Tr>
  );
}

function InboxTable({ label, items, authority, actionable, onPick }: {
  label: string;
  items: PendingItem[];
  authority: string | null;
  actionable: boolean;
  onPick: (item: PendingItem, verdict: Verdict) => void;
}) {
  return (
    <Table striped aria-label={label} verticalSpacing="xs">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Kind</Table.Th><Table.Th>What</Table.Th><Table.Th>Account</Table.Th>
          <Table.Th ta="right">Amount</Table.Th><Table.Th>Requested by</Table.Th>
          <Table.Th>When</Table.Th><Table.Th>Decision</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {items.map((i) => (
          <Row key={`${i.kind}:${i.id}`} item={i} authority={authority} actionable={actionable}
            onPick={onPick} />
        ))}
      </Table.Tbody>
    </Table>
  );
}

/**
 * The supervisor's one inbox: bill runs, adjustments, refunds, transfers, late-charge reversals,
 * write-offs, rebate applications, notice print batches, door tags, drawers and bank deposits,
 * from each service's
 * own pending list, decided in place. One's own requests are listed apart, never approvable.
 */
export function ApprovalsPage() {
  const username = useSession()?.username ?? "";
  const inbox = useInbox();
  const me = useMe();
  const decide = useDecide();
  const [filter, setFilter] = useState<Kind | "all">("all");
  const [picked, setPicked] = useState<{ item: PendingItem; verdict: Verdict } | null>(null);
  const [key, setKey] = useState(newId);
  const [done, setDone] = useState<string | null>(null);

  const { approvable, own } = useMemo(() => splitInbox(inbox.items, username),
    [inbox.items, username]);
  const counts = useMemo(() => {
    const c = new Map<Kind, number>();
    for (const i of approvable) c.set(i.kind, (c.get(i.kind) ?? 0) + 1);
    return c;
  }, [approvable]);
  const shown = filter === "all" ? approvable : approvable.filter((i) => i.kind === filter);
  const authority = me.data ? String(me.data.authority) : null;

  function pick(item: PendingItem, verdict: Verdict) {
    setKey(newId());
    setPicked({ item, verdict });
  }

  function onDecide(note: string) {
    if (!picked) return;
    const { item, verdict } = picked;
    decide.mutate({ item, verdict, note, key }, {
      onSuccess: () => {
        const info = KINDS[item.kind];
        setDone(`${verdict === "approve" ? info.approve : info.reject}: ${info.label.toLowerCase()}`
          + ` — ${item.what}`);
        setPicked(null);
      },
    });
  }

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1} size="h3">Approvals</Title>
        {authority && <Text size="sm">Your dollar authority <Money value={authority} /></Text>}
      </Group>
      {done && (
        <ReadableAlert color="green" title="Done" withCloseButton onClose={() => setDone(null)}>
          {done}
        </ReadableAlert>
      )}
      {inbox.failed.length > 0 && (
        <ReadableAlert color="orange" title="Some lists did not load">
          {inbox.failed.map((k) => KINDS[k].label).join(", ")}: the rest are shown.
        </ReadableAlert>
      )}
      <Chip.Group value={filter} onChange={(v) => setFilter(v as Kind | "all")}>
        <Group gap="xs" role="group" aria-label="Show">
          <Chip value="all">All ({approvable.length})</Chip>
          {KIND_ORDER.filter((k) => counts.get(k)).map((k) => (
            <Chip key={k} value={k}>{KINDS[k].label} ({counts.get(k)})</Chip>
          ))}
        </Group>
      </Chip.Group>
      {inbox.loading && approvable.length === 0 ? <Loader aria-label="Loading the inbox" /> : (
        shown.length === 0 ? <Text c="dimmed">Nothing waits for your approval.</Text> : (
          <InboxTable label="Waiting for your approval" items={shown} authority={authority}
            actionable onPick={pick} />
        )
      )}
      {own.length > 0 && (
        <>
          <Title order={2} size="h4">Your own requests</Title>
          <Text size="sm" c="dimmed">Nobody approves their own: these wait for someone else.</Text>
          <InboxTable label="Your own requests" items={own} authority={authority}
            actionable={false} onPick={pick} />
        </>
      )}
      <DecisionModal key={picked ? `${picked.item.id}:${picked.verdict}` : "none"}
        item={picked?.item ?? null} verdict={picked?.verdict ?? "approve"}
        busy={decide.isPending} onCancel={() => setPicked(null)} onDecide={onDecide} />
    </Stack>
  );
}
