import {
  Alert, Button, Checkbox, Group, SimpleGrid, Stack, TextInput, Title,
} from "@mantine/core";
import { useState, type ChangeEvent, type FormEvent } from "react";

import { UnsavedChangesModal } from "@/components/UnsavedChangesModal";
import { useIdempotencyKey } from "@/hooks/useIdempotencyKey";
import { useUnsavedChangesGuard } from "@/hooks/useUnsavedChangesGuard";

import type { Account, Customer } from "../api/queries";
import { useIdentityCheck, useUpdateAccount, useUpdateCustomer } from "../api/service";

/** "a, b ; c" → ["a", "b", "c"]: phones and e-mails are typed as one list. */
export function splitList(text: string): string[] {
  return text.split(/[,;\n]/).map((s) => s.trim()).filter(Boolean);
}

/** Only what changed goes to the server (a PATCH), so a stale field never overwrites. */
export function changed<T extends Record<string, unknown>>(before: T, after: T): Partial<T> {
  const out: Partial<T> = {};
  for (const k of Object.keys(after) as (keyof T)[]) {
    if (JSON.stringify(before[k]) !== JSON.stringify(after[k])) out[k] = after[k];
  }
  return out;
}

export function CustomerEditForm({ customer, onDone }: {
  customer: Customer; onDone: () => void;
}) {
  const initial = { name: customer.name, phones: customer.phones.join(", "),
    emails: customer.emails.join(", "), language: customer.language,
    paperless: customer.paperless, text_messages: customer.text_messages };
  const [form, setForm] = useState(initial);
  const [key, renewKey] = useIdempotencyKey();
  const update = useUpdateCustomer(customer.id);
  const patch = changed(
    { name: customer.name, phones: customer.phones, emails: customer.emails,
      language: customer.language, paperless: customer.paperless,
      text_messages: customer.text_messages },
    { name: form.name.trim(), phones: splitList(form.phones), emails: splitList(form.emails),
      language: form.language.trim(), paperless: form.paperless,
      text_messages: form.text_messages });
  const dirty = Object.keys(patch).length > 0;
  const blocker = useUnsavedChangesGuard(dirty && !update.isSuccess);
  const text = (k: "name" | "phones" | "emails" | "language") => ({
    value: form[k], onChange: (e: ChangeEvent<HTMLInputElement>) => {
      const v = e.currentTarget.value;
      setForm((f) => ({ ...f, [k]: v }));
    },
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    if (!dirty) return onDone();
    update.mutate({ body: patch, key }, { onSuccess: () => { renewKey(); onDone(); } });
  }
  return (
    <form onSubmit={submit} aria-label="Edit customer">
      <UnsavedChangesModal blocker={blocker} />
      <Stack gap="xs">
        <Title order={3} size="h5">Customer</Title>
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="xs">
          <TextInput label="Name" required {...text("name")} />
          <TextInput label="Language" description="e.g. en, es" {...text("language")} />
          <TextInput label="Phones" description="separate with commas" {...text("phones")} />
          <TextInput label="E-mails" description="separate with commas" {...text("emails")} />
        </SimpleGrid>
        <Group>
          <Checkbox label="Paperless bills" checked={form.paperless}
            onChange={(e) => { const v = e.currentTarget.checked;
              setForm((f) => ({ ...f, paperless: v })); }} />
          <Checkbox label="Text messages" checked={form.text_messages}
            onChange={(e) => { const v = e.currentTarget.checked;
              setForm((f) => ({ ...f, text_messages: v })); }} />
        </Group>
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>Cancel</Button>
          <Button type="submit" loading={update.isPending}>Save customer</Button>
        </Group>
      </Stack>
    </form>
  );
}

export function AccountEditForm({ account, onDone }: { account: Account; onDone: () => void }) {
  const a = account.mailing_address;
  const initial = { line1: a.line1, line2: a.line2 ?? "", city: a.city, state: a.state,
    postal_code: a.postal_code, language: account.language, paperless: account.paperless };
  const [form, setForm] = useState(initial);
  const [key, renewKey] = useIdempotencyKey();
  const update = useUpdateAccount(account.id);
  const address = { line1: form.line1.trim(), line2: form.line2.trim() || null,
    city: form.city.trim(), state: form.state.trim().toUpperCase(),
    postal_code: form.postal_code.trim() };
  const patch = changed(
    { mailing_address: { ...a, line2: a.line2 ?? null }, language: account.language,
      paperless: account.paperless },
    { mailing_address: address, language: form.language.trim(), paperless: form.paperless });
  const dirty = Object.keys(patch).length > 0;
  const blocker = useUnsavedChangesGuard(dirty && !update.isSuccess);
  const text = (k: "line1" | "line2" | "city" | "state" | "postal_code" | "language") => ({
    value: form[k], onChange: (e: ChangeEvent<HTMLInputElement>) => {
      const v = e.currentTarget.value;
      setForm((f) => ({ ...f, [k]: v }));
    },
  });
  function submit(event: FormEvent) {
    event.preventDefault();
    if (!dirty) return onDone();
    update.mutate({ body: patch, key }, { onSuccess: () => { renewKey(); onDone(); } });
  }
  return (
    <form onSubmit={submit} aria-label="Edit account">
      <UnsavedChangesModal blocker={blocker} />
      <Stack gap="xs">
        <Title order={3} size="h5">Account mailing address and preferences</Title>
        <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="xs">
          <TextInput label="Address line 1" required {...text("line1")} />
          <TextInput label="Address line 2" {...text("line2")} />
          <TextInput label="City" required {...text("city")} />
          <TextInput label="State" required maxLength={2} {...text("state")} />
          <TextInput label="ZIP code" required {...text("postal_code")} />
          <TextInput label="Language" {...text("language")} />
        </SimpleGrid>
        <Checkbox label="Paperless bills" checked={form.paperless}
          onChange={(e) => { const v = e.currentTarget.checked;
            setForm((f) => ({ ...f, paperless: v })); }} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>Cancel</Button>
          <Button type="submit" loading={update.isPending}>Save account</Button>
        </Group>
      </Stack>
    </form>
  );
}

/** The caller gives the last four of the ID on file; the server answers match or not. */
export function IdentityCheckForm({ customerId }: { customerId: string }) {
  const [last4, setLast4] = useState("");
  const [key, renewKey] = useIdempotencyKey();
  const check = useIdentityCheck(customerId);
  function submit(event: FormEvent) {
    event.preventDefault();
    check.mutate({ last4: last4.trim(), key }, { onSuccess: () => { renewKey(); setLast4(""); } });
  }
  return (
    <form onSubmit={submit} aria-label="Identity check">
      <Group align="flex-end">
        <TextInput label="Last 4 of the caller's ID" required maxLength={4} w={200}
          inputMode="numeric" autoComplete="off" value={last4}
          onChange={(e) => setLast4(e.currentTarget.value)} />
        <Button type="submit" loading={check.isPending}>Check identity</Button>
      </Group>
      {check.data && (
        <Alert mt="xs" color={check.data.matches ? "green" : "red"}
          title={check.data.matches ? "Identity confirmed" : "Does not match"}>
          {check.data.matches ? "The caller's ID matches the one on file."
            : "The digits do not match the ID on file: do not discuss the account."}
        </Alert>
      )}
    </form>
  );
}
