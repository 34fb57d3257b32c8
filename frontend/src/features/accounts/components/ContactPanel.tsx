import { Button, Group, Select, Stack, Table, Text, TextInput, Textarea } from "@mantine/core";
import { useState, type FormEvent } from "react";

import { UnsavedChangesModal } from "@/components/UnsavedChangesModal";
import { useIdempotencyKey } from "@/hooks/useIdempotencyKey";
import { useUnsavedChangesGuard } from "@/hooks/useUnsavedChangesGuard";

import { useContactLog, useLogContact, type ContactIn } from "../api/queries";

const CHANNELS: ContactIn["channel"][] = ["call", "visit", "email", "letter", "text", "portal"];

function ContactForm({ accountId }: { accountId: string }) {
  const [channel, setChannel] = useState<ContactIn["channel"]>("call");
  const [category, setCategory] = useState("");
  const [note, setNote] = useState("");
  const [key, renewKey] = useIdempotencyKey();
  const log = useLogContact(accountId);
  const blocker = useUnsavedChangesGuard(note.trim() !== "" || category.trim() !== "");

  function submit(event: FormEvent) {
    event.preventDefault();
    log.mutate({ body: { channel, category: category.trim(), note: note.trim() }, key }, {
      onSuccess: () => {
        setCategory("");
        setNote("");
        renewKey();
      },
    });
  }

  return (
    <form onSubmit={submit} aria-label="Log a contact">
      <UnsavedChangesModal blocker={blocker} />
      <Group align="flex-end">
        <Select label="Channel" data={CHANNELS} value={channel} allowDeselect={false}
          onChange={(v) => v && setChannel(v as ContactIn["channel"])} w={120} />
        <TextInput label="Category" placeholder="billing, leak, payment…" required
          value={category} onChange={(e) => setCategory(e.currentTarget.value)} w={200} />
      </Group>
      <Textarea label="Note" required autosize minRows={2} mt="xs" value={note}
        onChange={(e) => setNote(e.currentTarget.value)}
        onKeyDown={(e) => {
          if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) e.currentTarget.form?.requestSubmit();
        }} />
      <Group justify="flex-end" mt="xs">
        <Text size="xs" c="dimmed">Ctrl+Enter to save</Text>
        <Button type="submit" loading={log.isPending}>Log contact</Button>
      </Group>
    </form>
  );
}

/** Notes and contacts, newest first; CSRs add entries. */
export function ContactPanel({ accountId, canWrite }: { accountId: string; canWrite: boolean }) {
  const contacts = useContactLog(accountId);
  return (
    <Stack>
      {canWrite && <ContactForm accountId={accountId} />}
      {contacts.data?.length === 0 && <Text c="dimmed">No contacts logged.</Text>}
      {!!contacts.data?.length && (
        <Table striped aria-label="Contact log">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>When</Table.Th><Table.Th>Channel</Table.Th><Table.Th>Category</Table.Th>
              <Table.Th>Note</Table.Th><Table.Th>By</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {contacts.data.map((c) => (
              <Table.Tr key={c.id}>
                <Table.Td>{new Date(c.at).toLocaleString()}</Table.Td>
                <Table.Td>{c.channel}</Table.Td><Table.Td>{c.category}</Table.Td>
                <Table.Td style={{ whiteSpace: "pre-wrap" }}>{c.note}</Table.Td>
                <Table.Td>{c.actor}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}
