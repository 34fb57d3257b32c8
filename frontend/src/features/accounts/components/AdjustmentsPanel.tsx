import {
  Alert, Badge, Button, Group, SegmentedControl, Select, Stack, Table, Text, TextInput, Title,
} from "@mantine/core";
import { useState, type FormEvent } from "react";

import { Money } from "@/components/Money";
import { UnsavedChangesModal } from "@/components/UnsavedChangesModal";
import { useIdempotencyKey } from "@/hooks/useIdempotencyKey";
import { useUnsavedChangesGuard } from "@/hooks/useUnsavedChangesGuard";
import { formatMoney } from "@/lib/money";

import {
  useAdjustments, useBalanceTransfer, useMe, useRequestAdjustment, type Adjustment,
  type ReasonCode,
} from "../api/billing";
import type { Account } from "../api/queries";
import { useCustomerAccounts } from "../api/service";
import { adjustmentOutcome } from "../authority";

const REASONS: { value: ReasonCode; label: string }[] = [
  { value: "billing_error", label: "Billing error" }, { value: "meter_error", label: "Meter error" },
  { value: "leak", label: "Leak credit" }, { value: "courtesy", label: "Courtesy" },
  { value: "late_charge_waiver", label: "Late charge waiver" }, { value: "other", label: "Other" },
];

/** What happened to a submitted adjustment, said plainly. */
function Outcome({ a }: { a: Adjustment }) {
  if (a.status === "pending") {
    return (
      <Alert color="yellow" title="Sent for approval">
        {formatMoney(a.amount)} is above your dollar authority, so it was not posted. It is now a
        request in the supervisor's approvals queue; the balance changes only when someone with
        enough authority (not you) approves it.
      </Alert>
    );
  }
  return (
    <Alert color="green" title="Adjustment posted">
      {formatMoney(a.amount)} posted to the account ({a.reason_code.replace(/_/g, " ")}).
    </Alert>
  );
}

function AdjustmentForm({ accountId }: { accountId: string }) {
  const me = useMe();
  const [direction, setDirection] = useState<"credit" | "charge">("credit");
  const [amount, setAmount] = useState("");
  const [code, setCode] = useState<ReasonCode>("courtesy");
  const [reason, setReason] = useState("");
  const [key, renewKey] = useIdempotencyKey();
  const request = useRequestAdjustment(accountId);
  const blocker = useUnsavedChangesGuard(amount.trim() !== "" || reason.trim() !== "");
  const signed = amount.trim() && direction === "credit" ? `-${amount.trim()}` : amount.trim();
  const outcome = adjustmentOutcome(signed, me.data?.authority);

  function submit(event: FormEvent) {
    event.preventDefault();
    request.mutate({ body: { account_id: accountId, amount: signed, reason_code: code,
      reason: reason.trim() }, key }, {
      onSuccess: () => { setAmount(""); setReason(""); renewKey(); },
    });
  }

  return (
    <form onSubmit={submit} aria-label="Adjust the balance">
      <UnsavedChangesModal blocker={blocker} />
      <Stack gap="xs">
        <Title order={3} size="h5">Adjustment</Title>
        {me.data && (
          <Text size="sm">Your dollar authority: <Money value={me.data.authority} /> per
            adjustment. Above it, the adjustment becomes a request for a supervisor.</Text>
        )}
        <Group align="flex-end">
          <SegmentedControl value={direction} aria-label="Credit or charge"
            onChange={(v) => setDirection(v as "credit" | "charge")}
            data={[{ value: "credit", label: "Credit" }, { value: "charge", label: "Charge" }]} />
          <TextInput label="Amount ($)" required value={amount} inputMode="decimal" w={140}
            pattern="\d+(\.\d{1,2})?" onChange={(e) => setAmount(e.currentTarget.value)} />
          <Select label="Reason code" data={REASONS} value={code} allowDeselect={false} w={200}
            onChange={(v) => v && setCode(v as ReasonCode)} />
          <TextInput label="Reason" required value={reason} maxLength={500} style={{ flex: 1 }}
            onChange={(e) => setReason(e.currentTarget.value)} />
        </Group>
        {outcome.kind !== "none" && (
          <Text size="sm" c={outcome.kind === "request" ? "orange.9" : "dimmed"}
            data-testid="adjustment-outcome">{outcome.text}</Text>
        )}
        <Group justify="flex-end">
          <Button type="submit" loading={request.isPending}>
            {outcome.kind === "request" ? "Send for approval" : "Post adjustment"}
          </Button>
        </Group>
        {request.data && <Outcome a={request.data} />}
      </Stack>
    </form>
  );
}

/** Move a closed account's balance to the same customer's active account. */
function BalanceTransferForm({ account }: { account: Account }) {
  const others = (useCustomerAccounts(account.customer_id).data ?? [])
    .filter((a) => a.id !== account.id);
  const closedHere = account.status !== "active";
  const candidates = others.filter((a) => (closedHere ? a.status === "active"
    : a.status !== "active"));
  const [other, setOther] = useState<string | null>(null);
  const [reason, setReason] = useState("");
  const [key, renewKey] = useIdempotencyKey();
  const transfer = useBalanceTransfer(account.id);
  if (candidates.length === 0) return null;

  function submit(event: FormEvent) {
    event.preventDefault();
    if (!other) return;
    transfer.mutate({ body: {
      from_account_id: closedHere ? account.id : other,
      to_account_id: closedHere ? other : account.id, reason: reason.trim() }, key },
    { onSuccess: () => { setReason(""); renewKey(); } });
  }
  return (
    <form onSubmit={submit} aria-label="Balance transfer">
      <Stack gap="xs">
        <Title order={3} size="h5">Balance transfer</Title>
        <Group align="flex-end">
          <Select label={closedHere ? "To the customer's active account" : "From a closed account"}
            data={candidates.map((a) => ({ value: a.id, label: `${a.number} (${a.status})` }))}
            value={other} onChange={setOther} required w={280} />
          <TextInput label="Reason" required value={reason} style={{ flex: 1 }}
            onChange={(e) => setReason(e.currentTarget.value)} />
          <Button type="submit" loading={transfer.isPending} disabled={!other}>
            Transfer balance
          </Button>
        </Group>
        {transfer.data && (
          <Alert color="green" title="Balance transferred">
            {formatMoney(transfer.data.amount)} moved.
          </Alert>
        )}
      </Stack>
    </form>
  );
}

/** Adjustments (within authority, or requests above it) and balance transfers. */
export function AdjustmentsPanel({ account, canAdjust, canTransfer }: {
  account: Account; canAdjust: boolean; canTransfer: boolean;
}) {
  const list = useAdjustments(account.id);
  return (
    <Stack>
      {canAdjust && <AdjustmentForm accountId={account.id} />}
      {canTransfer && <BalanceTransferForm account={account} />}
      {list.data?.length === 0 && <Text c="dimmed">No adjustments on this account.</Text>}
      {!!list.data?.length && (
        <Table striped aria-label="Adjustments">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Requested</Table.Th><Table.Th ta="right">Amount</Table.Th>
              <Table.Th>Reason</Table.Th><Table.Th>Status</Table.Th><Table.Th>Asked by</Table.Th>
              <Table.Th>Approved by</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {list.data.map((a) => (
              <Table.Tr key={a.id}>
                <Table.Td>{new Date(a.created_at).toLocaleString()}</Table.Td>
                <Table.Td ta="right"><Money value={a.amount} /></Table.Td>
                <Table.Td>{a.reason_code.replace(/_/g, " ")}: {a.reason}</Table.Td>
                <Table.Td>
                  <Badge variant="light" color={a.status === "pending" ? "yellow" : a.status
                    === "rejected" ? "red" : "green"}>
                    {a.status === "pending" ? "awaiting approval" : a.status}
                  </Badge>
                </Table.Td>
                <Table.Td>{a.requested_by}</Table.Td><Table.Td>{a.approved_by ?? "—"}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}
