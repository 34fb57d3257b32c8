import { Badge, Button, Card, Code, Group, Modal, Stack, Table, Text, Title } from "@mantine/core";
import { useState } from "react";

import { ReadableAlert } from "@/components/ReadableAlert";
import { newId } from "@/lib/ids";

import { useParked, useReplay, type ParkedEvent, type Service } from "../api/queries";
import { payloadSummary } from "../rules";

/**
 * Events a service could not apply after every retry, with their last error. Replay puts one
 * (or all of a service's) back in line once its cause is fixed; its account's later events
 * resume behind it.
 */
export function ParkedEvents() {
  const services = useParked();
  const replay = useReplay();
  const [shown, setShown] = useState<ParkedEvent | null>(null);
  const [done, setDone] = useState<string | null>(null);

  function run(service: Service, eventId: string | null) {
    replay.mutate({ service, eventId, key: newId() }, {
      onSuccess: (r) => setDone(`${service}: ${r.replayed} event(s) put back in line`),
    });
  }

  return (
    <Stack>
      <Title order={2} size="h4">Parked events</Title>
      {done && (
        <ReadableAlert color="green" withCloseButton onClose={() => setDone(null)}>
          {done}
        </ReadableAlert>
      )}
      {services.map(({ service, events, loading, failed }) => (
        <Card withBorder key={service}>
          <Group justify="space-between" mb="xs">
            <Group gap="xs">
              <Title order={3} size="h5">{service}</Title>
              <Badge color={events.length ? "red" : "green"}
                aria-label={`${events.length} parked`}>{loading ? "…" : events.length}</Badge>
            </Group>
            {events.length > 0 && (
              <Button size="xs" variant="light" loading={replay.isPending}
                onClick={() => run(service, null)}>Replay all of {service}</Button>
            )}
          </Group>
          {failed && <Text c="red.9" size="sm">Could not read {service}'s inbox.</Text>}
          {!loading && !failed && events.length === 0 && (
            <Text size="sm" c="dimmed">Nothing parked.</Text>
          )}
          {events.length > 0 && (
            <Table aria-label={`Parked events of ${service}`} striped>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Received</Table.Th><Table.Th>Event</Table.Th><Table.Th>Key</Table.Th>
                  <Table.Th>Attempts</Table.Th><Table.Th>Last error</Table.Th><Table.Th />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {events.map((e) => (
                  <Table.Tr key={e.event_id}>
                    <Table.Td>{new Date(e.received_at).toLocaleString()}</Table.Td>
                    <Table.Td>{e.source}.{e.type} v{e.version}</Table.Td>
                    <Table.Td>{e.key} #{e.key_seq}</Table.Td>
                    <Table.Td>{e.attempts}</Table.Td>
                    <Table.Td><Text size="xs" lineClamp={2}>{e.last_error ?? "—"}</Text></Table.Td>
                    <Table.Td>
                      <Group gap="xs" wrap="nowrap">
                        <Button size="xs" variant="subtle" onClick={() => setShown(e)}
                          aria-label={`Show event ${e.event_id}`}>Show</Button>
                        <Button size="xs" loading={replay.isPending}
                          aria-label={`Replay event ${e.event_id}`}
                          onClick={() => run(service, e.event_id)}>Replay</Button>
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </Card>
      ))}
      <Modal opened={!!shown} onClose={() => setShown(null)} size="lg"
        title={shown ? `${shown.source}.${shown.type}` : ""}>
        {shown && (
          <Stack>
            <Text size="sm">{payloadSummary(shown.payload, 80)}</Text>
            <Code block>{JSON.stringify(shown.payload, null, 2)}</Code>
            {shown.last_error && <Code block color="red.0">{shown.last_error}</Code>}
          </Stack>
        )}
      </Modal>
    </Stack>
  );
}
