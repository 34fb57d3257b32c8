import { Badge, Button, Group, Modal, Stack, Table, Text, TextInput, VisuallyHidden } from "@mantine/core";
import { useState, type FormEvent } from "react";

import { Money } from "@/components/Money";
import { ReadableAlert } from "@/components/ReadableAlert";
import { UnsavedChangesModal } from "@/components/UnsavedChangesModal";
import { useIdempotencyKey } from "@/hooks/useIdempotencyKey";
import { useUnsavedChangesGuard } from "@/hooks/useUnsavedChangesGuard";

import { useLateCharges, useReverseLateCharge, type LateCharge, type Reversal } from "../api/queries";

/** What became of a reversal request, in the words a CSR says to the caller. */
export function reversalOutcome(r: Pick<Reversal, "status" | "amount">): string {
  if (r.status === "reversed") return `Reversed: ${r.amount} comes off the account now.`;
  if (r.status === "pending") {
    return `Above your authority: the reversal of ${r.amount} waits in the supervisor's approvals inbox.`;
  }
  return "The reversal was turned down.";
}

function ReverseForm({ charge, onDone }: { charge: LateCharge; onDone: (message: string) => void }) {
  const [reason, setReason] = useState("");
  const [amount, setAmount] = useState("");
  const [key, renewKey] = useIdempotencyKey();
  const reverse = useReverseLateCharge();
  const blocker = useUnsavedChangesGuard(reason !== "" || amount !== "");
  function submit(event: FormEvent) {
    event.preventDefault();
    reverse.mutate({ noticeId: charge.notice_id, reason: reason.trim(), amount: amount.trim(), key }, {
      onSuccess: (r) => { renewKey(); setReason(""); setAmount(""); onDone(reversalOutcome(r)); },
    });
  }
  return (
    <Stack component="form" onSubmit={submit} aria-label="Reverse the late charge">
      <Text size="sm">Late charge of <Money value={charge.amount} /> assessed {charge.assessed_on}.</Text>
      <TextInput label="Reason" required minLength={3} data-autofocus value={reason}
        onChange={(e) => setReason(e.currentTarget.value)} />
      <TextInput label="Amount (leave empty for all of it)" inputMode="decimal" value={amount}
        pattern="\d+(\.\d{1,2})?" onChange={(e) => setAmount(e.currentTarget.value)} />
      <Group justify="flex-end"><Button type="submit" loading={reverse.isPending}>Reverse</Button></Group>
      <UnsavedChangesModal blocker={blocker} />
    </Stack>
  );
}

/** The account's late charges: each reversible once, within dollar authority or by request. */
export function LateCharges({ accountId, canReverse }: { accountId: string; canReverse: boolean }) {
  const charges = useLateCharges(accountId);
  const [acting, setActing] = useState<LateCharge | null>(null);
  const [done, setDone] = useState<string | null>(null);
  return (
    <Stack>
      {done && <ReadableAlert color="teal.9" title="Late charge" role="status">{done}</ReadableAlert>}
      <Table aria-label="Late charges">
        <Table.Thead><Table.Tr><Table.Th>Assessed</Table.Th><Table.Th>Step</Table.Th><Table.Th>Amount</Table.Th>
          <Table.Th>Reversal</Table.Th><Table.Th><VisuallyHidden>Actions</VisuallyHidden></Table.Th></Table.Tr></Table.Thead>
        <Table.Tbody>
          {(charges.data ?? []).map((c) => (
            <Table.Tr key={c.notice_id}>
              <Table.Td>{c.assessed_on}</Table.Td><Table.Td>{c.step}</Table.Td>
              <Table.Td><Money value={c.amount} /></Table.Td>
              <Table.Td>{c.reversal_status && (
                <Badge variant="light" color={c.reversal_status === "reversed" ? "teal"
                  : c.reversal_status === "pending" ? "yellow" : "gray"}>
                  {c.reversal_status}{c.reversed_amount ? ` ${c.reversed_amount}` : ""}
                </Badge>)}
              </Table.Td>
              <Table.Td>{canReverse && !c.reversal_status && (
                <Button size="xs" variant="subtle" onClick={() => { setDone(null); setActing(c); }}>Reverse</Button>)}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {charges.data?.length === 0 && <Text c="gray.7">No late charge on this account.</Text>}
      <Modal opened={!!acting} onClose={() => setActing(null)} title="Reverse a late charge"
        closeButtonProps={{ "aria-label": "Close" }}>
        {acting && <ReverseForm charge={acting} onDone={(m) => { setActing(null); setDone(m); }} />}
      </Modal>
    </Stack>
  );
}
