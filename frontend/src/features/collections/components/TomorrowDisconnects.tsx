import { Anchor, Badge, Loader, Stack, Table, Text } from "@mantine/core";
import { Link } from "react-router-dom";

import { Money } from "@/components/Money";

import { useTomorrow } from "../api/supervisor";
import { GuardrailList } from "./GuardrailList";

/** Disconnects due by tomorrow, each with what SB 998's guardrails say about tomorrow. */
export function TomorrowDisconnects() {
  const tomorrow = useTomorrow();
  if (tomorrow.isPending) return <Loader role="status" aria-label="Loading tomorrow's disconnects" />;
  if (!tomorrow.data) return null;
  const { day, rows } = tomorrow.data;
  return (
    <Stack>
      <Text>{rows.length} disconnect(s) due by {day}; {rows.filter((r) => r.allowed).length} allowed.</Text>
      <Table.ScrollContainer minWidth={800}>
        <Table aria-label="Disconnects for tomorrow" verticalSpacing="sm">
          <Table.Thead><Table.Tr><Table.Th>Account</Table.Th><Table.Th>Notice names</Table.Th>
            <Table.Th>Order</Table.Th><Table.Th>Past due</Table.Th><Table.Th>Guardrails</Table.Th></Table.Tr></Table.Thead>
          <Table.Tbody>
            {rows.map((r) => (
              <Table.Tr key={r.account_id}>
                <Table.Td>
                  <Anchor component={Link} to={`/collections/accounts/${r.account_id}`}>{r.number ?? "—"}</Anchor>
                  <Text size="sm">{r.name}</Text>
                </Table.Td>
                <Table.Td>{r.disconnect_on ?? "—"}</Table.Td>
                <Table.Td>{r.order_status ?? "none yet"}</Table.Td>
                <Table.Td><Money value={r.past_due} /></Table.Td>
                <Table.Td>
                  {r.allowed ? <Badge color="red">Allowed</Badge>
                    : <Badge color="teal">Refused{r.next_on ? ` until ${r.next_on}` : ""}</Badge>}
                  <GuardrailList refusals={r.refusals} />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Stack>
  );
}
