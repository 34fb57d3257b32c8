import { Button, Group, Select, Stack, Text, TextInput, Textarea } from "@mantine/core";
import { useState, type FormEvent } from "react";

import { Money } from "@/components/Money";
import { UnsavedChangesModal } from "@/components/UnsavedChangesModal";
import { useIdempotencyKey } from "@/hooks/useIdempotencyKey";
import { useUnsavedChangesGuard } from "@/hooks/useUnsavedChangesGuard";

import { useRecordCall, type CallIn, type CallListItem, type CallOut, type Outcome } from "../api/queries";

export const OUTCOMES: { value: Outcome; label: string }[] = [
  { value: "promise_made", label: "Promise to pay" },
  { value: "reached", label: "Reached" },
  { value: "left_message", label: "Left a message" },
  { value: "no_answer", label: "No answer" },
  { value: "wrong_number", label: "Wrong number" },
  { value: "refused", label: "Refused" },
];

export function outcomeLabel(outcome: string | null | undefined): string {
  return OUTCOMES.find((o) => o.value === outcome)?.label ?? outcome ?? "—";
}

/** What the form sends: a promise only with `promise_made` (the server refuses it otherwise). */
export function callBody(outcome: Outcome, note: string, phone: string | null,
                         promisedOn: string, amount: string): CallIn {
  const body: CallIn = { outcome, note: note.trim(), phone: phone || null };
  if (outcome === "promise_made") body.promise = { promised_on: promisedOn, amount: amount.trim() };
  return body;
}

/** One call's outcome, with a promise to pay (a date up to 30 days ahead and an amount). */
export function LogCallForm({ row, onDone }: { row: CallListItem; onDone: (call: CallOut) => void }) {
  const [outcome, setOutcome] = useState<Outcome>("promise_made");
  const [phone, setPhone] = useState<string | null>(row.phones[0] ?? null);
  const [note, setNote] = useState("");
  const [promisedOn, setPromisedOn] = useState("");
  const [amount, setAmount] = useState(row.past_due);
  const [key, renewKey] = useIdempotencyKey();
  const record = useRecordCall(row.account_id);
  const blocker = useUnsavedChangesGuard(note !== "" || promisedOn !== "");

  function submit(event: FormEvent) {
    event.preventDefault();
    record.mutate({ body: callBody(outcome, note, phone, promisedOn, amount), key }, {
      onSuccess: (call) => {
        renewKey();
        setNote("");
        setPromisedOn("");
        onDone(call);
      },
    });
  }

  return (
    <Stack component="form" onSubmit={submit} aria-label="Call outcome">
      <UnsavedChangesModal blocker={blocker} />
      <Text size="sm">
        {row.name ?? "—"} · account {row.number} · past due <Money value={row.past_due} /> for{" "}
        {row.days_past_due} days{row.language && row.language !== "en" ? ` · speaks ${row.language}` : ""}
      </Text>
      <Select label="Outcome" data={OUTCOMES} value={outcome} allowDeselect={false}
        onChange={(v) => v && setOutcome(v as Outcome)} />
      {row.phones.length > 0 && (
        <Select label="Phone called" data={row.phones} value={phone} onChange={setPhone} clearable />
      )}
      {outcome === "promise_made" && (
        <Group grow>
          <TextInput type="date" label="Promised on" required value={promisedOn}
            onChange={(e) => setPromisedOn(e.currentTarget.value)} />
          <TextInput label="Amount ($)" required inputMode="decimal" value={amount}
            onChange={(e) => setAmount(e.currentTarget.value)} />
        </Group>
      )}
      <Textarea label="Note" autosize minRows={2} value={note}
        onChange={(e) => setNote(e.currentTarget.value)}
        onKeyDown={(e) => {
          if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) e.currentTarget.form?.requestSubmit();
        }} />
      <Group justify="flex-end">
        <Button type="submit" loading={record.isPending}>Save call</Button>
      </Group>
    </Stack>
  );
}
