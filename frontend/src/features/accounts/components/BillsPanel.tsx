import {
  Alert, Badge, Button, Checkbox, Group, List, Loader, Stack, Table, Text, Textarea, Title,
} from "@mantine/core";
import { Fragment, useState, type FormEvent } from "react";

import { Money } from "@/components/Money";
import { useIdempotencyKey } from "@/hooks/useIdempotencyKey";
import { openPdf } from "@/lib/api";
import { notifyProblem } from "@/lib/queryClient";

import {
  useAppeals, useDecideAppeal, useExplanation, useInvestigateAppeal, useOpenAppeal,
  type AccountBill, type Appeal,
} from "../api/billing";

function statement(billId: string) {
  openPdf(`/api/billing/bills/${encodeURIComponent(billId)}/statement.pdf`).catch(notifyProblem);
}

function Explanation({ billId }: { billId: string }) {
  const explain = useExplanation(billId);
  if (explain.isLoading) return <Loader size="sm" role="status" aria-label="Loading the explanation" />;
  return (
    <List size="sm" spacing={2} aria-label="How this bill was computed">
      {explain.data?.text.map((line, i) => <List.Item key={i}>{line}</List.Item>)}
    </List>
  );
}

function AppealForm({ accountId, bill, onDone }: {
  accountId: string; bill: AccountBill; onDone: () => void;
}) {
  const [complaint, setComplaint] = useState("");
  const [key, renewKey] = useIdempotencyKey();
  const open = useOpenAppeal(accountId);
  function submit(event: FormEvent) {
    event.preventDefault();
    open.mutate({ billId: bill.id, complaint: complaint.trim(), key },
      { onSuccess: () => { renewKey(); onDone(); } });
  }
  return (
    <form onSubmit={submit} aria-label={`Appeal the bill of ${bill.period_end}`}>
      <Textarea label="What the customer says (high bill, leak …)" required autosize minRows={2}
        value={complaint} onChange={(e) => setComplaint(e.currentTarget.value)}
        onKeyDown={(e) => {
          if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) e.currentTarget.form?.requestSubmit();
        }} />
      <Text size="xs" c="dimmed" mt={4}>
        An open appeal holds off any shut-off for this bill until it is decided.
      </Text>
      <Group justify="flex-end" mt="xs">
        <Button type="submit" loading={open.isPending}>Open appeal</Button>
      </Group>
    </form>
  );
}

function DecideForm({ accountId, appeal }: { accountId: string; appeal: Appeal }) {
  const [repaired, setRepaired] = useState(false);
  const [notes, setNotes] = useState("");
  const [key, renewKey] = useIdempotencyKey();
  const decide = useDecideAppeal(accountId);
  const investigate = useInvestigateAppeal(accountId);
  const [invKey, renewInv] = useIdempotencyKey();
  function submit(event: FormEvent) {
    event.preventDefault();
    decide.mutate({ appealId: appeal.id, repaired, notes: notes.trim(), key },
      { onSuccess: renewKey });
  }
  return (
    <form onSubmit={submit} aria-label="Decide the appeal">
      <Group align="flex-end">
        {appeal.status === "open" && (
          <Button variant="default" loading={investigate.isPending}
            onClick={() => investigate.mutate({ appealId: appeal.id, key: invKey },
              { onSuccess: renewInv })}>
            Order a leak check
          </Button>
        )}
        <Checkbox label="Leak repaired (proof seen)" checked={repaired}
          onChange={(e) => setRepaired(e.currentTarget.checked)} />
        <Textarea label="Notes" autosize minRows={1} value={notes} w={260}
          onChange={(e) => setNotes(e.currentTarget.value)} />
        <Button type="submit" loading={decide.isPending}>Decide by policy</Button>
      </Group>
      <Text size="xs" c="dimmed" mt={4}>
        A leak credit is posted as an adjustment: above your dollar authority it waits in the
        approvals queue.
      </Text>
    </form>
  );
}

function Appeals({ accountId, appeals }: { accountId: string; appeals: Appeal[] }) {
  if (appeals.length === 0) return null;
  return (
    <Stack gap="xs">
      <Title order={3} size="h5">High-bill appeals</Title>
      <Table aria-label="Appeals">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Opened</Table.Th><Table.Th>Complaint</Table.Th><Table.Th>Status</Table.Th>
            <Table.Th>Decision</Table.Th><Table.Th ta="right">Credit</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {appeals.map((a) => (
            <Fragment key={a.id}>
              <Table.Tr>
                <Table.Td>{a.opened_on} by {a.opened_by}</Table.Td>
                <Table.Td>{a.complaint}</Table.Td>
                <Table.Td><Badge variant="light">{a.status}</Badge></Table.Td>
                <Table.Td>{a.decision ?? "—"}</Table.Td>
                <Table.Td ta="right">{a.credit ? <Money value={a.credit} /> : "—"}</Table.Td>
              </Table.Tr>
              <Table.Tr>
                <Table.Td colSpan={5}>
                  {a.status === "decided"
                    ? <Text size="sm" style={{ whiteSpace: "pre-wrap" }}>{a.letter}</Text>
                    : <DecideForm accountId={accountId} appeal={a} />}
                </Table.Td>
              </Table.Tr>
            </Fragment>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}

/** Issued bills with their plain-words explanation, statement PDF and high-bill appeals. */
export function BillsPanel({ accountId, bills, canAppeal }: {
  accountId: string; bills: AccountBill[] | undefined; canAppeal: boolean;
}) {
  const [explained, setExplained] = useState<string | null>(null);
  const [appealing, setAppealing] = useState<string | null>(null);
  const appeals = useAppeals(accountId, canAppeal);
  if (!bills) return <Loader role="status" aria-label="Loading bills" />;
  if (bills.length === 0) return <Text c="dimmed">No bills in the last two years.</Text>;
  return (
    <Stack>
      <Table striped aria-label="Bills">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Period</Table.Th><Table.Th>Billed</Table.Th><Table.Th>Due</Table.Th>
            <Table.Th ta="right">Water use</Table.Th><Table.Th ta="right">Total</Table.Th>
            <Table.Th>Status</Table.Th><Table.Th>Actions</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {bills.map((b) => (
            <Fragment key={b.id}>
              <Table.Tr>
                <Table.Td>{b.period_start} – {b.period_end}</Table.Td>
                <Table.Td>{b.bill_date ?? ""}</Table.Td><Table.Td>{b.due_date ?? ""}</Table.Td>
                <Table.Td ta="right" ff="monospace">{Number(b.water_use).toLocaleString()}</Table.Td>
                <Table.Td ta="right"><Money value={b.total} /></Table.Td>
                <Table.Td><Badge variant="light" color={b.status === "final" ? "blue" : "gray"}>
                  {b.status}</Badge></Table.Td>
                <Table.Td>
                  <Group gap={4} wrap="nowrap">
                    <Button size="compact-xs" variant="subtle" aria-expanded={explained === b.id}
                      onClick={() => setExplained((x) => (x === b.id ? null : b.id))}>
                      Explain
                    </Button>
                    <Button size="compact-xs" variant="subtle" onClick={() => statement(b.id)}>
                      Statement PDF
                    </Button>
                    {canAppeal && b.status === "final" && (
                      <Button size="compact-xs" variant="subtle"
                        aria-expanded={appealing === b.id}
                        onClick={() => setAppealing((x) => (x === b.id ? null : b.id))}>
                        Appeal
                      </Button>
                    )}
                  </Group>
                </Table.Td>
              </Table.Tr>
              {(explained === b.id || appealing === b.id) && (
                <Table.Tr>
                  <Table.Td colSpan={7}>
                    {explained === b.id && <Explanation billId={b.id} />}
                    {appealing === b.id && (
                      <AppealForm accountId={accountId} bill={b}
                        onDone={() => setAppealing(null)} />
                    )}
                  </Table.Td>
                </Table.Tr>
              )}
            </Fragment>
          ))}
        </Table.Tbody>
      </Table>
      {canAppeal && appeals.isError && (
        <Alert color="gray">Appeals could not be loaded.</Alert>
      )}
      {canAppeal && <Appeals accountId={accountId} appeals={appeals.data ?? []} />}
    </Stack>
  );
}
