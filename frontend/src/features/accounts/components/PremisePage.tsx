import { Alert, Card, Loader, Stack, Table, Text, Title } from "@mantine/core";
import { useParams } from "react-router-dom";

import { useSession } from "@/lib/auth";
import { can } from "@/lib/permissions";

import { usePremises } from "../api/queries";
import { StartServiceForm } from "./StartServiceForm";

/**
 * A premise found by search (a vacant one has no account to open): where it is, its meters,
 * and move-in for a new customer.
 */
export function PremisePage() {
  const { id = "" } = useParams();
  const role = useSession()?.role;
  const [p] = usePremises([id]);
  if (p?.loading) return <Loader role="status" aria-label="Loading premise" />;
  if (!p?.premise) return <Alert color="red" title="Premise not found">No such premise.</Alert>;
  const pr = p.premise;
  const title = `${pr.address.line1}, ${pr.address.city}`;
  return (
    <Stack maw={900}>
      <Card withBorder>
        <Title order={1} size="h3">{title}</Title>
        <Text size="sm">
          APN {pr.apn} · {pr.kind.replace(/_/g, " ")} · {pr.dwelling_units} unit(s) · cycle{" "}
          {pr.cycle} · route {pr.route}
        </Text>
        {pr.location_note && <Text size="sm" c="dimmed">{pr.location_note}</Text>}
      </Card>
      {p.meters.length > 0 && (
        <Table aria-label="Meters at this premise">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Meter</Table.Th><Table.Th>Size</Table.Th><Table.Th>Status</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {p.meters.map((m) => (
              <Table.Tr key={m.id}>
                <Table.Td ff="monospace">{m.serial}</Table.Td><Table.Td>{m.size}</Table.Td>
                <Table.Td>{m.status}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {can(role, "customers.write") && (
        <Card withBorder>
          <Text size="sm" mb="xs">
            For an existing customer, open their account and use Start service there.
          </Text>
          <StartServiceForm
            premise={{ entity: "premise", id: pr.id, account_number: null, title,
              subtitle: `APN ${pr.apn}`, status: "", score: 0 }} />
        </Card>
      )}
    </Stack>
  );
}
