import "@mantine/charts/styles.css";

import { BarChart } from "@mantine/charts";
import { Stack, Table, Text, VisuallyHidden } from "@mantine/core";

import type { AccountBill } from "../api/billing";
import { usageByMonth } from "../usage";

/** Water use of the last 12 billed months beside the same months a year earlier. */
export function UsagePanel({ bills }: { bills: AccountBill[] | undefined }) {
  const rows = usageByMonth(bills ?? []);
  if (rows.length === 0) return <Text c="dimmed">No billed use to chart yet.</Text>;
  const data = rows.map((r) => ({ month: r.label, "This year": r.thisYear ?? 0,
    "Last year": r.lastYear ?? 0 }));
  return (
    <Stack>
      <figure style={{ margin: 0 }} aria-labelledby="usage-caption">
        <figcaption id="usage-caption">
          <Text size="sm" fw={500}>Water use by billed month (this year and last year)</Text>
        </figcaption>
        <div aria-hidden="true">
          <BarChart h={260} data={data} dataKey="month" withLegend
            series={[{ name: "Last year", color: "gray.5" }, { name: "This year", color: "blue.8" }]}
            tickLine="y" />
        </div>
      </figure>
      <VisuallyHidden>
        <Table aria-label="Water use by month">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Month</Table.Th><Table.Th>This year</Table.Th><Table.Th>Last year</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((r) => (
              <Table.Tr key={r.month}>
                <Table.Td>{r.label}</Table.Td><Table.Td>{r.thisYear ?? "—"}</Table.Td>
                <Table.Td>{r.lastYear ?? "—"}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </VisuallyHidden>
    </Stack>
  );
}
