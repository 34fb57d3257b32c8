import { Card, Table, Text, Title } from "@mantine/core";

import { useAwaitingMeter } from "../api/reads";

/** Route-file reads kept until billing hears of their meter; each is judged when it does. */
export function AwaitingMeter() {
  const held = useAwaitingMeter();
  if (!held.data || held.data.length === 0) return null;
  return (
    <Card withBorder>
      <Title order={2} size="h5">Reads waiting for their meter</Title>
      <Text size="sm" c="gray.7" mb="xs">Billing has not heard of these meters yet (a new
        installation on its way); each read is recorded and validated when it does.</Text>
      <Table aria-label="Reads waiting for their meter" striped>
        <Table.Thead>
          <Table.Tr><Table.Th>Meter serial</Table.Th><Table.Th>Read on</Table.Th>
            <Table.Th ta="right">Reading</Table.Th><Table.Th>File line</Table.Th></Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {held.data.map((r) => (
            <Table.Tr key={`${r.serial}-${r.read_on}-${r.line_no ?? ""}`}>
              <Table.Td ff="monospace">{r.serial}</Table.Td><Table.Td>{r.read_on}</Table.Td>
              <Table.Td ta="right" ff="monospace">{r.value}</Table.Td>
              <Table.Td>{r.line_no ?? "—"}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Card>
  );
}
