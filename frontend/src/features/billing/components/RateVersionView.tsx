import { Card, Stack, Table, Text, Title } from "@mantine/core";

import type { RateVersion } from "../api/rates";
import { priceFields } from "../rateFields";

/** Every price of one version, grouped as the schedule reads. */
export function RateVersionView({ version }: { version: RateVersion }) {
  const fields = priceFields(version);
  const groups = [...new Set(fields.map((f) => f.group))];
  return (
    <Card withBorder>
      <Title order={2} size="h4">{version.name}</Title>
      <Text size="sm" c="gray.7" mb="sm">Effective {version.effective_date}
        {version.drought_stage ? ` · drought stage ${version.drought_stage}` : ""}</Text>
      <Stack gap="md">
        {version.classes.length > 0 && (
          <Table aria-label="Rate classes" maw={640}>
            <Table.Thead>
              <Table.Tr><Table.Th>Service</Table.Th><Table.Th>Class</Table.Th>
                <Table.Th>Basis</Table.Th><Table.Th>Cap</Table.Th></Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {version.classes.map((c) => (
                <Table.Tr key={`${c.service}-${c.rate_class}`}>
                  <Table.Td>{c.service}</Table.Td><Table.Td>{c.rate_class}</Table.Td>
                  <Table.Td>{(c.basis ?? "metered").replace("_", " ")}</Table.Td>
                  <Table.Td>{c.cap ?? "—"}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
        {groups.map((g) => (
          <div key={g}>
            <Title order={3} size="h6">{g}</Title>
            <Table maw={640} aria-label={`Prices: ${g}`}>
              <Table.Tbody>
                {fields.filter((f) => f.group === g).map((f) => (
                  <Table.Tr key={f.key}>
                    <Table.Td>{f.label}</Table.Td>
                    <Table.Td ta="right" ff="monospace">${f.value}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </div>
        ))}
      </Stack>
    </Card>
  );
}
