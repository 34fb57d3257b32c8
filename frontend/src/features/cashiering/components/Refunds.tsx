import {
  Badge, Button, Card, Group, Modal, SegmentedControl, Stack, Table, Text, TextInput, Title,
} from "@mantine/core";
import { useState, type FormEvent } from "react";

import { Money } from "@/components/Money";
import { ReadableAlert } from "@/components/ReadableAlert";
import { UnsavedChangesModal } from "@/components/UnsavedChangesModal";
import { useIdempotencyKey } from "@/hooks/useIdempotencyKey";
import { useUnsavedChangesGuard } from "@/hooks/useUnsavedChangesGuard";
import { useSession } from "@/lib/auth";
import { newId } from "@/lib/ids";
import { can } from "@/lib/permissions";
import { notifyProblem } from "@/lib/queryClient";

import {
  download, useCheckRequests, useDecideRefund, useExportCheckRequest, useRefunds,
  useRequestRefund,
} from "../api/queries";
import type { Refund, RefundStatus } from "../api/types";

function RequestRefund() {
  const [account, setAccount] = useState("");
  const [amount, setAmount] = useState("");
  const [reason, setReason] = useState("");
  const [key, renew] = useIdempotencyKey();
  const [asked, setAsked] = useState<Refund | null>(null);
  const request = useRequestRefund();
  const blocker = useUnsavedChangesGuard(account !== "" || amount !== "" || reason !== "");
  function submit(event: FormEvent) {
    event.preventDefault();
    request.mutate({ accountNumber: account.trim(), amount: amount.trim(), reason, key }, {
      onSuccess: (r) => {
        setAsked(r);
        setAccount("");
        setAmount("");
        setReason("");
        renew();
      },
    });
  }
  return (
    <Card withBorder component="form" onSubmit={submit} aria-label="Request a refund">
      <UnsavedChangesModal blocker={blocker} />
      <Title order={2} size="h4" mb="sm">Request a refund of a credit balance</Title>
      <Group align="flex-end" wrap="wrap">
        <TextInput label="Account number" required value={account} w={170}
          onChange={(e) => setAccount(e.currentTarget.value)} />
        <TextInput label="Amount ($)" required inputMode="decimal" value={amount} w={120}
          onChange={(e) => setAmount(e.currentTarget.value)} />
        <TextInput label="Reason" required value={reason} w={320}
          onChange={(e) => setReason(e.currentTarget.value)} />
        <Button type="submit" loading={request.isPending}>Request refund</Button>
      </Group>
      {asked && (
        <ReadableAlert mt="sm" color="blue" title="Refund requested">
          <Money value={asked.amount} /> for account {asked.account_number}: it waits for a
          supervisor's approval.
        </ReadableAlert>
      )}
    </Card>
  );
}

type Decision = { refund: Refund; verdict: "approve" | "reject" | "void" } | null;

function Decide({ decision, onDone }: { decision: Decision; onDone: () => void }) {
  const [reason, setReason] = useState("");
  const [key] = useState(newId);
  const decide = useDecideRefund();
  if (!decision) return null;
  const { refund, verdict } = decision;
  const verb = { approve: "Approve", reject: "Reject", void: "Void" }[verdict];
  function submit(event: FormEvent) {
    event.preventDefault();
    decide.mutate({ id: refund.id, verdict, reason, key }, { onSuccess: onDone });
  }
  return (
    <Modal opened onClose={onDone} centered title={`${verb} the refund`}>
      <Stack component="form" onSubmit={submit} aria-label={`${verb} refund`}>
        <Text size="sm"><Money value={refund.amount} /> to account {refund.account_number},
          asked by {refund.requested_by}: {refund.reason}</Text>
        {verdict !== "approve" && (
          <TextInput data-autofocus label="Reason" required value={reason}
            onChange={(e) => setReason(e.currentTarget.value)} />
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>Cancel</Button>
          <Button type="submit" loading={decide.isPending} data-autofocus={verdict === "approve"
            || undefined} color={verdict === "approve" ? undefined : "red"}>{verb}</Button>
        </Group>
      </Stack>
    </Modal>
  );
}

function CheckRequests() {
  const role = useSession()?.role;
  const allowed = can(role, "refunds.export");
  const requests = useCheckRequests(allowed);
  const [key, renew] = useIdempotencyKey();
  const exp = useExportCheckRequest();
  if (!allowed) return null;
  return (
    <Card withBorder>
      <Group justify="space-between" mb="sm">
        <Title order={2} size="h4">Check requests for accounts payable</Title>
        <Button loading={exp.isPending} onClick={() => exp.mutate(key, { onSuccess: renew })}>
          Export approved refunds
        </Button>
      </Group>
      {requests.data?.length === 0 && <Text c="dimmed">No exports yet.</Text>}
      {requests.data && requests.data.length > 0 && (
        <Table aria-label="Check requests">
          <Table.Tbody>
            {requests.data.map((c) => (
              <Table.Tr key={c.id}>
                <Table.Td>{new Date(c.created_at).toLocaleString()}</Table.Td>
                <Table.Td>{c.refund_count} refund(s)</Table.Td>
                <Table.Td ta="right"><Money value={c.total} /></Table.Td>
                <Table.Td>
                  <Button size="xs" variant="light" onClick={() => void download(
                    `/api/payments/refunds/check-requests/${c.id}/csv`, c.filename)
                    .catch(notifyProblem)}>{c.filename}</Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Card>
  );
}

const STATUSES: RefundStatus[] = ["pending", "approved", "issued", "rejected", "voided"];

/** Refunds: requested by staff, approved by a supervisor who did not ask, exported, issued. */
export function Refunds() {
  const session = useSession();
  const supervisor = can(session?.role, "refunds.decide");
  const [status, setStatus] = useState<RefundStatus>("pending");
  const refunds = useRefunds(status);
  const [decision, setDecision] = useState<Decision>(null);
  return (
    <Stack>
      <RequestRefund />
      <Group justify="space-between">
        <Title order={2} size="h4">Refunds</Title>
        <SegmentedControl aria-label="Refund status" value={status}
          onChange={(v) => setStatus(v as RefundStatus)}
          data={STATUSES.map((s) => ({ value: s, label: s[0]!.toUpperCase() + s.slice(1) }))} />
      </Group>
      {refunds.data?.length === 0 && <Text c="dimmed">No {status} refunds.</Text>}
      {refunds.data && refunds.data.length > 0 && (
        <Table aria-label="Refunds" striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Account</Table.Th><Table.Th ta="right">Amount</Table.Th>
              <Table.Th>Reason</Table.Th><Table.Th>Asked by</Table.Th><Table.Th>Status</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {refunds.data.map((r) => {
              const own = r.requested_by === session?.username;
              return (
                <Table.Tr key={r.id}>
                  <Table.Td>{r.account_number}</Table.Td>
                  <Table.Td ta="right"><Money value={r.amount} /></Table.Td>
                  <Table.Td>{r.reason}</Table.Td><Table.Td>{r.requested_by}</Table.Td>
                  <Table.Td><Badge variant="light">{r.status}</Badge></Table.Td>
                  <Table.Td>
                    {supervisor && r.status === "pending" && !own && (
                      <Group gap="xs" wrap="nowrap">
                        <Button size="xs" onClick={() => setDecision({ refund: r,
                          verdict: "approve" })}>Approve</Button>
                        <Button size="xs" variant="light" color="red" onClick={() =>
                          setDecision({ refund: r, verdict: "reject" })}>Reject</Button>
                      </Group>
                    )}
                    {supervisor && r.status === "pending" && own && (
                      <Text size="xs" c="dimmed">Yours: waits for another approver</Text>
                    )}
                    {supervisor && r.status === "approved" && (
                      <Button size="xs" variant="light" color="red" onClick={() =>
                        setDecision({ refund: r, verdict: "reject" })}>Reject</Button>
                    )}
                    {supervisor && r.status === "issued" && (
                      <Button size="xs" variant="light" color="red" onClick={() =>
                        setDecision({ refund: r, verdict: "void" })}>Void</Button>
                    )}
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      )}
      <CheckRequests />
      <Decide key={decision ? `${decision.refund.id}:${decision.verdict}` : "none"}
        decision={decision} onDone={() => setDecision(null)} />
    </Stack>
  );
}
