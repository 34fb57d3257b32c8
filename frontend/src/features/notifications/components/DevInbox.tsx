import { Accordion, Anchor, Code, Group, Loader, Stack, Text } from "@mantine/core";

import { useDevInbox } from "../api/queries";
import { when } from "../status";

/**
 * The development inbox (demo mode without an SMTP server): every e-mail Tapline would have
 * sent, newest first, so a demo shows the customer's side. Outside demo mode there is none.
 */
export function DevInbox() {
  const inbox = useDevInbox();
  if (inbox.isLoading) return <Loader role="status" aria-label="Loading the development inbox" />;
  if (!inbox.data) {
    return <Text c="dimmed">No development inbox: mail goes to the district's mail server.</Text>;
  }
  return (
    <Stack>
      <Group justify="space-between">
        <Text size="sm">{inbox.data.length} messages kept instead of sent (demo mode).</Text>
        <Anchor href="/api/mail/dev-inbox" target="_blank" rel="noreferrer">
          The inbox as JSON</Anchor>
      </Group>
      {inbox.data.length === 0 && <Text c="dimmed">Nothing mailed yet.</Text>}
      <Accordion variant="contained" chevronPosition="left">
        {inbox.data.map((m) => (
          <Accordion.Item key={m.id} value={m.id}>
            <Accordion.Control>
              <Text size="sm" fw={600}>{m.subject || "(no subject)"}</Text>
              <Text size="xs" c="dimmed">To {m.to} · {when(m.sent_at)}</Text>
            </Accordion.Control>
            <Accordion.Panel>
              {m.html ? (
                <iframe sandbox="" srcDoc={m.html} title={`E-mail to ${m.to}: ${m.subject}`}
                  style={{ width: "100%", minHeight: 320, border: "1px solid var(--mantine-color-gray-4)",
                    background: "white" }} />
              ) : <Code block style={{ whiteSpace: "pre-wrap" }}>{m.text}</Code>}
            </Accordion.Panel>
          </Accordion.Item>
        ))}
      </Accordion>
    </Stack>
  );
}
