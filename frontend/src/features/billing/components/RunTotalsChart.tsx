import "@mantine/charts/styles.css";

import { BarChart } from "@mantine/charts";
import { Text } from "@mantine/core";

import { formatMoney, toCents, fromCents } from "@/lib/money";

import type { ConsumptionRow } from "../api/runs";
import { classBars, seriesColors } from "../classChart";

function dollars(value: number): string {
  try {
    return formatMoney(fromCents(toCents(value.toFixed(2))));
  } catch {
    return String(value);
  }
}

/** Run totals by class, a bar per class and a colour per service. */
export function RunTotalsChart({ rows }: { rows: ConsumptionRow[] }) {
  const { data, services } = classBars(rows);
  if (data.length === 0) return <Text c="gray.7">No charges to draw.</Text>;
  return (
    <figure aria-label="Run totals by class" style={{ margin: 0 }}>
      <BarChart h={280} data={data} dataKey="rate_class" series={seriesColors(services)}
        type="stacked" withLegend valueFormatter={dollars} tickLine="y" />
      <figcaption><Text size="xs" c="gray.7">Charges by rate class and service (the table
        below holds the exact figures).</Text></figcaption>
    </figure>
  );
}
