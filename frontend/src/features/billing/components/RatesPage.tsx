import { Badge, Button, Card, Group, Loader, Stack, Table, Text, Title } from "@mantine/core";
import { useState } from "react";

import { useSession } from "@/lib/auth";
import { can } from "@/lib/permissions";

import { useRateVersions } from "../api/rates";
import { NextRateVersion } from "./NextRateVersion";
import { RateVersionView } from "./RateVersionView";
import { WinterAverages } from "./WinterAverages";

/** Rate schedule versions by effective date; the next one starts from the latest. */
export function RatesPage() {
  const role = useSession()?.role;
  const versions = useRateVersions();
  const [shown, setShown] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const list = versions.data ?? [];
  const latest = list.length ? list[list.length - 1] : null;
  const current = list.find((v) => v.id === shown) ?? latest;
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1} size="h3">Rate schedules</Title>
        {can(role, "rates.write") && latest && !creating && (
          <Button onClick={() => setCreating(true)}>Create next version</Button>
        )}
      </Group>
      {versions.isLoading && <Loader role="status" aria-label="Loading rate schedules" />}
      {versions.data && list.length === 0 && (
        <Text c="gray.7">No rate schedule yet: the first is entered through the API
          (<code>POST /api/billing/rates/versions</code>).</Text>
      )}
      {creating && latest && (
        <NextRateVersion base={latest} onDone={(id) => {
          setCreating(false);
          if (id) setShown(id);
        }} />
      )}
      {list.length > 0 && (
        <Card withBorder>
          <Table highlightOnHover aria-label="Rate schedule versions">
            <Table.Thead>
              <Table.Tr><Table.Th>Effective</Table.Th><Table.Th>Name</Table.Th>
                <Table.Th>Drought stage</Table.Th><Table.Th>Classes</Table.Th></Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {[...list].reverse().map((v) => (
                <Table.Tr key={v.id} aria-selected={current?.id === v.id}>
                  <Table.Td>{v.effective_date}</Table.Td>
                  <Table.Td>
                    <Button variant="subtle" size="compact-sm" onClick={() => setShown(v.id)}>
                      {v.name}</Button>
                    {v.id === latest?.id && (
                      <Badge ml="xs" variant="outline" color="blue.9">latest</Badge>
                    )}
                  </Table.Td>
                  <Table.Td>{v.drought_stage ?? 0}</Table.Td>
                  <Table.Td>{v.classes.length}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Card>
      )}
      {current && <RateVersionView version={current} />}
      {can(role, "rates.write") && <WinterAverages />}
    </Stack>
  );
}
