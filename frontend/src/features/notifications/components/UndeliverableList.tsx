import { Anchor, Group, Loader, Stack, Table, Text } from "@mantine/core";
import { Link } from "react-router-dom";

import { useAccountNumbers, useUndeliverable } from "../api/queries";
import { CHANNEL_LABEL, REASON_LABEL, when } from "../status";

/**
 * Addresses that bounced and phones that texted STOP, with the accounts that used them: the
 * CSR corrects the address with the customer (and resends from the account's messages).
 */
export function UndeliverableList() {
  const list = useUndeliverable();
  const ids = [...new Set((list.data ?? []).flatMap((u) => u.account_ids))];
  const numbers = useAccountNumbers(ids);
  if (list.isLoading) return <Loader role="status" aria-label="Loading undeliverable addresses" />;
  if (!list.data?.length) {
    return <Text c="dimmed">No bounced addresses and no phones that texted STOP.</Text>;
  }
  return (
    <Table.ScrollContainer minWidth={760}>
      <Table striped aria-label="Undeliverable addresses">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Channel</Table.Th><Table.Th>Address</Table.Th><Table.Th>Why</Table.Th>
            <Table.Th>Since</Table.Th><Table.Th>Accounts</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {list.data.map((u) => (
            <Table.Tr key={`${u.channel}:${u.address}:${u.reason}`}>
              <Table.Td>{CHANNEL_LABEL[u.channel] ?? u.channel}</Table.Td>
              <Table.Td><Text size="sm" ff="monospace">{u.address}</Text></Table.Td>
              <Table.Td>
                <Stack gap={0}>
                  <Text size="sm" fw={600}>{REASON_LABEL[u.reason] ?? u.reason}</Text>
                  {u.detail && <Text size="xs" c="dimmed">{u.detail}</Text>}
                </Stack>
              </Table.Td>
              <Table.Td>{when(u.since)}</Table.Td>
              <Table.Td>
                <Group gap="xs">
                  {u.account_ids.length === 0 && <Text size="sm" c="dimmed">none</Text>}
                  {u.account_ids.map((id) => numbers[id] ? (
                    <Anchor key={id} component={Link} to={`/accounts/${numbers[id]}`}>
                      {numbers[id]}</Anchor>
                  ) : <Text key={id} size="sm" c="dimmed">…</Text>)}
                </Group>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
