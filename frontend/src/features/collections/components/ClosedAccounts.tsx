import {
  Anchor, Button, Group, Loader, Modal, SegmentedControl, Stack, Table, Text, TextInput, Title,
} from "@mantine/core";
import { useState, type FormEvent } from "react";
import { Link } from "react-router-dom";

import { ReadableAlert } from "@/components/ReadableAlert";
import { Money } from "@/components/Money";
import { useIdempotencyKey } from "@/hooks/useIdempotencyKey";
import { openPdf } from "@/lib/api";
import { useSession } from "@/lib/auth";
import { can } from "@/lib/permissions";
import { notifyProblem } from "@/lib/queryClient";

import {
  useClosedAction, useClosedCases, useReferToAgency, useReferrals, type ClosedAction, type ClosedCase,
} from "../api/supervisor";
import { AgencyPayments } from "./AgencyPayments";

const STAGES = [
  { value: "all", label: "All" }, { value: "transfer_offered", label: "Transfer offered" },
  { value: "letters", label: "Letters" }, { value: "referred", label: "At the agency" },
  { value: "ended", label: "Ended" },
];
const TITLES: Record<ClosedAction, string> = {
  transfer: "Transfer the balance to the active account",
  decline: "Decline the transfer (letters start)",
  "write-off": "Ask to write off the balance (a supervisor approves)",
};

/** Which actions a case offers now (the server decides again). */
export function actionsFor(c: ClosedCase): ClosedAction[] {
  if (c.ended_on) return [];
  const out: ClosedAction[] = [];
  if (c.status === "transfer_offered") out.push("transfer", "decline");
  if (c.letter_2_on || c.referred_on) out.push("write-off");
  return out;
}

function ActionForm({ c, action, onDone }: { c: ClosedCase; action: ClosedAction; onDone: (m: string) => void }) {
  const [reason, setReason] = useState("");
  const [key] = useIdempotencyKey();
  const act = useClosedAction();
  function submit(event: FormEvent) {
    event.preventDefault();
    act.mutate({ accountId: c.account_id, action, reason, key }, {
      onSuccess: () => onDone(`${TITLES[action]}: done for account ${c.account_number ?? ""}.`),
    });
  }
  return (
    <Stack component="form" onSubmit={submit} aria-label={TITLES[action]}>
      <Text size="sm">{c.name} · account {c.account_number} · balance <Money value={c.balance} />
        {action === "transfer" && c.transfer_to_account_number ? ` → account ${c.transfer_to_account_number}` : ""}</Text>
      <TextInput label="Reason" required data-autofocus value={reason} onChange={(e) => setReason(e.currentTarget.value)} />
      <Group justify="flex-end"><Button type="submit" loading={act.isPending}>Confirm</Button></Group>
    </Stack>
  );
}

/** Closed accounts still owing: transfer, letters, the agency, write-off requests. */
export function ClosedAccounts() {
  const role = useSession()?.role;
  const [stage, setStage] = useState("all");
  const cases = useClosedCases(stage === "all" ? null : stage);
  const referrals = useReferrals();
  const refer = useReferToAgency();
  const [referKey, renewReferKey] = useIdempotencyKey();
  const [acting, setActing] = useState<{ c: ClosedCase; action: ClosedAction } | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const worker = can(role, "collections.closed");

  return (
    <Stack>
      <SegmentedControl aria-label="Stage" data={STAGES} value={stage} onChange={setStage} />
      {done && <ReadableAlert color="green.9" withCloseButton closeButtonLabel="Dismiss" onClose={() => setDone(null)} title="Saved">{done}</ReadableAlert>}
      {cases.isPending && <Loader role="status" aria-label="Loading closed accounts" />}
      {cases.data && (
        <Table.ScrollContainer minWidth={900}>
          <Table aria-label="Closed accounts" striped>
            <Table.Thead><Table.Tr><Table.Th>Account</Table.Th><Table.Th>Closed</Table.Th><Table.Th>Balance</Table.Th>
              <Table.Th>Status</Table.Th><Table.Th>Next</Table.Th><Table.Th>Actions</Table.Th></Table.Tr></Table.Thead>
            <Table.Tbody>
              {cases.data.map((c) => (
                <Table.Tr key={c.account_id}>
                  <Table.Td><Anchor component={Link} to={`/collections/accounts/${c.account_id}`}>{c.account_number ?? "—"}</Anchor>
                    <Text size="sm">{c.name}</Text></Table.Td>
                  <Table.Td>{c.closed_on}</Table.Td><Table.Td><Money value={c.balance} /></Table.Td>
                  <Table.Td>{c.status.replace(/_/g, " ")}</Table.Td>
                  <Table.Td>{c.next_step.replace(/_/g, " ")}{c.next_on ? ` on ${c.next_on}` : ""}</Table.Td>
                  <Table.Td>
                    <Group gap="xs">
                      {worker && actionsFor(c).map((a) => (
                        <Button key={a} size="xs" variant={a === "transfer" ? "filled" : "light"}
                          onClick={() => setActing({ c, action: a })}>
                          {a === "transfer" ? "Transfer" : a === "decline" ? "Decline transfer" : "Request write-off"}
                        </Button>
                      ))}
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {cases.data?.length === 0 && <Text c="gray.7">No closed account in this stage.</Text>}
      <Title order={2} size="h4" mt="md">Collection agency</Title>
      {worker && (
        <Group>
          <Button loading={refer.isPending} onClick={() => refer.mutate(referKey, {
            onSuccess: (r) => { renewReferKey(); setDone(`${r.accounts} account(s) referred to ${r.agency}.`); },
          })}>Refer the accounts now due</Button>
        </Group>
      )}
      <Table aria-label="Agency referrals">
        <Table.Thead><Table.Tr><Table.Th>Referred</Table.Th><Table.Th>Accounts</Table.Th><Table.Th>Total</Table.Th>
          <Table.Th>File</Table.Th></Table.Tr></Table.Thead>
        <Table.Tbody>
          {(referrals.data ?? []).map((r) => (
            <Table.Tr key={r.referral_id ?? r.referred_on}>
              <Table.Td>{r.referred_on}</Table.Td><Table.Td>{r.accounts}</Table.Td>
              <Table.Td><Money value={r.total} /></Table.Td>
              <Table.Td>{r.referral_id && (
                <Anchor component="button" type="button" onClick={() =>
                  void openPdf(`/api/collections/agency/referrals/${r.referral_id}.csv`).catch(notifyProblem)}>
                  Agency file (CSV)</Anchor>)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {worker && <AgencyPayments />}
      <Modal opened={!!acting} onClose={() => setActing(null)} closeButtonProps={{ "aria-label": "Close" }}
        title={acting ? TITLES[acting.action] : "Closed account"}>
        {acting && <ActionForm c={acting.c} action={acting.action} onDone={(m) => { setActing(null); setDone(m); }} />}
      </Modal>
    </Stack>
  );
}
