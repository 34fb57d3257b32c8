import {
  Anchor, Button, Group, Loader, Stack, Table, Text, Title, VisuallyHidden,
} from "@mantine/core";
import { Link } from "react-router-dom";

import { useIdempotencyKey } from "@/hooks/useIdempotencyKey";
import { useSession } from "@/lib/auth";
import { can } from "@/lib/permissions";

import { useDevInbox, useMessages, useResend, type Message } from "../api/queries";
import { CHANNEL_LABEL, languageLabel, mayResend, when } from "../status";
import { PreferencesTable } from "./PreferencesTable";
import { StatusBadge } from "./StatusBadge";

/** One key per message and intended resend: a double click posts once. */
function ResendButton({ message }: { message: Message }) {
  const resend = useResend(message.account_id);
  const [key, renew] = useIdempotencyKey();
  return (
    <Button size="xs" variant="default" loading={resend.isPending}
      aria-label={`Resend ${message.label} by ${CHANNEL_LABEL[message.channel] ?? message.channel}`}
      onClick={() => resend.mutate({ messageId: message.id, key }, { onSuccess: renew })}>
      Resend
    </Button>
  );
}

/**
 * What the district told the account's customer, newest first: which kind, by which channel,
 * to which (masked) address, how it went, and why it failed. CSRs send a failed or bounced one
 * again once the address is corrected, and change how the customer wants to hear for a caller.
 */
export function AccountMessages({ accountId }: { accountId: string }) {
  const role = useSession()?.role;
  const canResend = can(role, "notifications.resend");
  const messages = useMessages(accountId);
  const inbox = useDevInbox();
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2} size="h4">Messages to the customer</Title>
        {inbox.data && (
          <Anchor component={Link} to="/notifications/inbox">Development inbox</Anchor>
        )}
      </Group>
      {messages.isLoading && <Loader role="status" aria-label="Loading messages" />}
      {messages.data?.length === 0 && <Text c="dimmed">No messages sent to this account yet.</Text>}
      {!!messages.data?.length && (
        <Table.ScrollContainer minWidth={900}>
          <Table striped aria-label="Messages to the customer">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Message</Table.Th><Table.Th>Channel</Table.Th><Table.Th>To</Table.Th>
                <Table.Th>Status</Table.Th><Table.Th ta="right">Attempts</Table.Th>
                <Table.Th>Queued</Table.Th><Table.Th>Sent</Table.Th>
                <Table.Th>Delivered</Table.Th><Table.Th>Last error</Table.Th>
                {canResend && <Table.Th><VisuallyHidden>Action</VisuallyHidden></Table.Th>}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {messages.data.map((m) => (
                <Table.Tr key={m.id}>
                  <Table.Td>
                    <Text size="sm" fw={600}>{m.label}</Text>
                    {m.subject && <Text size="xs" c="dimmed">{m.subject}</Text>}
                    <Text size="xs" c="dimmed">{languageLabel(m.language)}</Text>
                  </Table.Td>
                  <Table.Td>{CHANNEL_LABEL[m.channel] ?? m.channel}</Table.Td>
                  <Table.Td><Text size="sm" ff="monospace">{m.recipient}</Text></Table.Td>
                  <Table.Td><StatusBadge status={m.status} /></Table.Td>
                  <Table.Td ta="right">{m.attempts}</Table.Td>
                  <Table.Td>{when(m.queued_at)}</Table.Td>
                  <Table.Td>{when(m.sent_at)}</Table.Td>
                  <Table.Td>{when(m.delivered_at)}</Table.Td>
                  <Table.Td style={{ whiteSpace: "pre-wrap", maxWidth: 280 }}>
                    {m.last_error ?? "—"}
                  </Table.Td>
                  {canResend && (
                    <Table.Td>{mayResend(m.status) && <ResendButton message={m} />}</Table.Td>
                  )}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <PreferencesTable accountId={accountId} canChange={canResend} />
    </Stack>
  );
}
