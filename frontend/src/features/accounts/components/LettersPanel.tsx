import { Button, Group, Select, Stack, Table, Text, Title } from "@mantine/core";
import { useState, type FormEvent } from "react";

import { useIdempotencyKey } from "@/hooks/useIdempotencyKey";
import { openPdf } from "@/lib/api";
import { notifyProblem } from "@/lib/queryClient";

import { useDocuments, useSendLetter, type LetterIn } from "../api/service";

const TEMPLATES: { value: LetterIn["template"]; label: string }[] = [
  { value: "welcome", label: "Welcome letter" }, { value: "closing", label: "Closing letter" },
  { value: "service_order", label: "Service order letter" },
];

function open(id: string) {
  openPdf(`/api/accounts/contacts/documents/${encodeURIComponent(id)}`).catch(notifyProblem);
}

/** Letters sent (or sent again) and documents on file for the account. */
export function LettersPanel({ accountId, canWrite }: { accountId: string; canWrite: boolean }) {
  const documents = useDocuments(accountId);
  const [template, setTemplate] = useState<LetterIn["template"]>("welcome");
  const [key, renewKey] = useIdempotencyKey();
  const send = useSendLetter(accountId);
  function submit(event: FormEvent) {
    event.preventDefault();
    send.mutate({ body: { template }, key }, { onSuccess: renewKey });
  }
  return (
    <Stack>
      <Title order={3} size="h5">Letters and documents</Title>
      {canWrite && (
        <form onSubmit={submit} aria-label="Send a letter">
          <Group align="flex-end">
            <Select label="Letter" data={TEMPLATES} value={template} allowDeselect={false}
              w={240} onChange={(v) => v && setTemplate(v as LetterIn["template"])} />
            <Button type="submit" loading={send.isPending}>Send letter</Button>
          </Group>
        </form>
      )}
      {documents.data?.length === 0 && <Text c="dimmed">No documents on file.</Text>}
      {!!documents.data?.length && (
        <Table striped aria-label="Documents">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Created</Table.Th><Table.Th>Document</Table.Th><Table.Th>By</Table.Th>
              <Table.Th>Open</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {documents.data.map((d) => (
              <Table.Tr key={d.id}>
                <Table.Td>{new Date(d.created_at).toLocaleString()}</Table.Td>
                <Table.Td>{d.title}</Table.Td><Table.Td>{d.actor}</Table.Td>
                <Table.Td>
                  <Button size="compact-xs" variant="subtle" onClick={() => open(d.id)}
                    aria-label={`Open ${d.title}`}>
                    Open
                  </Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}
