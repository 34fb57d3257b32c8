import { Button, FileInput, Group, SimpleGrid, Stack, Text, TextInput, Title } from "@mantine/core";
import { useState, type FormEvent } from "react";

import { ReadableAlert } from "@/components/ReadableAlert";
import { UnsavedChangesModal } from "@/components/UnsavedChangesModal";
import { useIdempotencyKey } from "@/hooks/useIdempotencyKey";
import { useUnsavedChangesGuard } from "@/hooks/useUnsavedChangesGuard";

import {
  useImportAgencyPayments, useRecordAgencyPayment, type AgencyPayment, type AgencyPaymentsFile,
} from "../api/supervisor";

const EMPTY = { account_number: "", amount: "", fee: "", received_on: "", agency_reference: "" };

/** Said back to the clerk after one payment: what the account was credited and the commission. */
export function paymentRecorded(p: Pick<AgencyPayment, "amount" | "fee" | "fee_added_to_debt"
  | "agency_reference">): string {
  return `Recorded ${p.agency_reference}: ${p.amount} paid, commission ${p.fee}` +
    (p.fee_added_to_debt ? " (added to what the customer owes)." : " (the district bears it).");
}

export function fileRecorded(f: AgencyPaymentsFile): string {
  return `${f.file}: ${f.lines} line(s), ${f.recorded} recorded` +
    (f.already_recorded ? `, ${f.already_recorded} already recorded before` : "") +
    `; ${f.amount} paid, ${f.fee} commission.`;
}

/** What the collection agency collected: one payment at a time, or the agency's file. */
export function AgencyPayments() {
  const [form, setForm] = useState(EMPTY);
  const [file, setFile] = useState<File | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [key, renewKey] = useIdempotencyKey();
  const record = useRecordAgencyPayment();
  const upload = useImportAgencyPayments();
  const blocker = useUnsavedChangesGuard(Object.values(form).some((v) => v !== ""));
  const field = (name: keyof typeof EMPTY) => ({
    value: form[name], onChange: (e: React.ChangeEvent<HTMLInputElement>) =>
      setForm({ ...form, [name]: e.currentTarget.value }),
  });
  function submit(event: FormEvent) {
    event.preventDefault();
    setDone(null);
    record.mutate({ key, body: { ...form, fee: form.fee || undefined } }, {
      onSuccess: (p) => { renewKey(); setForm(EMPTY); setDone(paymentRecorded(p)); },
    });
  }
  function send(event: FormEvent) {
    event.preventDefault();
    if (!file) return;
    setDone(null);
    upload.mutate(file, { onSuccess: (f) => { setFile(null); setDone(fileRecorded(f)); } });
  }
  return (
    <Stack>
      <Title order={3} size="h5">Payments the agency collected</Title>
      {done && <ReadableAlert color="teal.9" title="Agency payments" role="status">{done}</ReadableAlert>}
      <form onSubmit={submit} aria-label="Record an agency payment">
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <TextInput label="Account number" required {...field("account_number")} />
          <TextInput label="Amount paid" required inputMode="decimal" pattern="\d+(\.\d{1,2})?" {...field("amount")} />
          <TextInput label="Commission (empty: the policy's rate)" inputMode="decimal"
            pattern="\d+(\.\d{1,2})?" {...field("fee")} />
          <TextInput label="Received on" type="date" required {...field("received_on")} />
          <TextInput label="Agency's reference" required {...field("agency_reference")} />
        </SimpleGrid>
        <Group justify="flex-end" mt="xs"><Button type="submit" loading={record.isPending}>Record payment</Button></Group>
      </form>
      <form onSubmit={send} aria-label="Import the agency's payments file">
        <Group align="flex-end">
          <FileInput label="Agency's payments file (CSV)" accept=".csv,text/csv" value={file}
            onChange={setFile} clearable style={{ flex: 1 }} />
          <Button type="submit" disabled={!file} loading={upload.isPending}>Import file</Button>
        </Group>
        <Text size="xs" c="gray.7" mt={4}>
          Columns account, amount, commission, paid_on, reference. Every line or none is recorded;
          a file sent twice records nothing new.
        </Text>
      </form>
      <UnsavedChangesModal blocker={blocker} />
    </Stack>
  );
}
