import { Badge, Skeleton, Table, Text } from "@mantine/core";

import { usePremises, type Agreement } from "../api/queries";

/** Service agreements with the premise each serves and the meter on it. */
export function ServicePanel({ agreements }: { agreements: Agreement[] }) {
  const premises = usePremises([...new Set(agreements.map((a) => a.premise_id))]);
  const byId = new Map(premises.map((p) => [p.id, p]));
  if (agreements.length === 0) return <Text c="dimmed">No service agreements.</Text>;
  return (
    <Table striped aria-label="Service agreements">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Service</Table.Th><Table.Th>Rate class</Table.Th><Table.Th>Premise</Table.Th>
          <Table.Th>Meter</Table.Th><Table.Th>Dates</Table.Th><Table.Th>Status</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {agreements.map((sa) => {
          const p = byId.get(sa.premise_id);
          const meter = p?.meters.find((m) => m.id === sa.meter_id);
          return (
            <Table.Tr key={sa.id}>
              <Table.Td>{sa.service}</Table.Td>
              <Table.Td>{sa.rate_class}</Table.Td>
              <Table.Td>
                {p?.premise ? (
                  <>
                    {p.premise.address.line1}, {p.premise.address.city}
                    <Text size="xs" c="dimmed">APN {p.premise.apn} · route {p.premise.route}</Text>
                  </>
                ) : <Skeleton h={14} w={160} />}
              </Table.Td>
              <Table.Td ff="monospace">
                {meter ? `${meter.serial} (${meter.size})` : sa.meter_id ? "…" : "—"}
              </Table.Td>
              <Table.Td>{sa.start_date}{sa.stop_date ? ` – ${sa.stop_date}` : " –"}</Table.Td>
              <Table.Td><Badge variant="light">{sa.status}</Badge></Table.Td>
            </Table.Tr>
          );
        })}
      </Table.Tbody>
    </Table>
  );
}
