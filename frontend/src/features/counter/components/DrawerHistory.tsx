import { Badge, Card, Table, Text, Title } from "@mantine/core";

import { Money } from "@/components/Money";

import { useMyClosedDrawers } from "../api/queries";

/** The cashier's last closed drawers and whether a supervisor has signed each off. */
export function DrawerHistory({ username }: { username: string }) {
  const drawers = useMyClosedDrawers(username);
  if (!drawers.data || drawers.data.length === 0) return null;
  return (
    <Card withBorder>
      <Title order={2} size="h4" mb="sm">Your closed drawers</Title>
      <Table aria-label="Your closed drawers">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Opened</Table.Th><Table.Th ta="right">Counted</Table.Th>
            <Table.Th ta="right">Expected</Table.Th><Table.Th ta="right">Over/short</Table.Th>
            <Table.Th>Sign-off</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {drawers.data.map((d) => (
            <Table.Tr key={d.id}>
              <Table.Td>{d.opened_on}</Table.Td>
              <Table.Td ta="right"><Money value={d.counted_cash} /></Table.Td>
              <Table.Td ta="right"><Money value={d.expected_cash} /></Table.Td>
              <Table.Td ta="right"><Money value={d.over_short} /></Table.Td>
              <Table.Td>
                {d.status === "signed_off" ? (
                  <Text size="sm">
                    <Badge color="green" component="span">signed off</Badge>{" "}
                    by {d.signed_off_by}{d.sign_off_note ? `: ${d.sign_off_note}` : ""}
                  </Text>
                ) : <Badge color="blue" variant="light">waiting for a supervisor</Badge>}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Card>
  );
}
