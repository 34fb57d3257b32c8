/**
 * Run totals by class for the chart. The chart library draws numbers, so amounts become numbers
 * here for drawing only; every figure a person reads stays the API's decimal string.
 */
import type { ConsumptionRow } from "./api/runs";

export interface ClassBar {
  rate_class: string;
  [service: string]: string | number;
}

/** One bar per rate class, one series per service (water, wastewater …). */
export function classBars(rows: ConsumptionRow[]): { data: ClassBar[]; services: string[] } {
  const services = [...new Set(rows.map((r) => r.service))].sort();
  const byClass = new Map<string, ClassBar>();
  for (const r of rows) {
    const bar = byClass.get(r.rate_class) ?? { rate_class: r.rate_class };
    bar[r.service] = Number(bar[r.service] ?? 0) + Number(r.amount);
    byClass.set(r.rate_class, bar);
  }
  for (const bar of byClass.values()) {
    for (const s of services) bar[s] = Math.round(Number(bar[s] ?? 0) * 100) / 100;
  }
  const data = [...byClass.values()].sort((a, b) => a.rate_class.localeCompare(b.rate_class));
  return { data, services };
}

const PALETTE = ["blue.6", "teal.6", "grape.6", "orange.6", "cyan.6", "lime.6"];

export function seriesColors(services: string[]): { name: string; color: string }[] {
  return services.map((name, i) => ({ name, color: PALETTE[i % PALETTE.length] ?? "blue.6" }));
}
