import { Table, Text, Title, Stack } from "@mantine/core";

import { Money } from "@/components/Money";
import { ReadableAlert } from "@/components/ReadableAlert";
import { ROLE_NAMES } from "@/lib/permissions";

import { useRoles } from "../api/queries";

/** Each role's dollar authority, as configured (`TAPLINE_AUTHORITY`); changed in configuration. */
export function Authority() {
  const roles = useRoles();
  return (
    <Stack>
      <Title order={2} size="h4">Dollar authority by role</Title>
      <Text size="sm">
        An adjustment, refund, transfer, late-charge reversal or write-off up to this amount is
        made at once by the role; above it, it waits in the approvals inbox for someone whose
        authority covers it (never the one who asked).
      </Text>
      <Table aria-label="Dollar authority" w={520}>
        <Table.Thead>
          <Table.Tr><Table.Th>Role</Table.Th><Table.Th ta="right">Authority</Table.Th></Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {(roles.data ?? []).filter((r) => r.role !== "customer").map((r) => (
            <Table.Tr key={r.role}>
              <Table.Td>{ROLE_NAMES[r.role] ?? r.role}</Table.Td>
              <Table.Td ta="right"><Money value={String(r.authority)} /></Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <ReadableAlert color="gray" title="Changing it">
        Authority is configuration, not data: set <code>TAPLINE_AUTHORITY</code> (JSON, role to
        amount) for every service and restart them, so every service enforces the same limits.
      </ReadableAlert>
    </Stack>
  );
}
