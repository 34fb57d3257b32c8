/** Chart rows from the API's series. Gallons stay strings until the chart's scale needs a
 * number: they are measurements, not money, and a float is right for drawing them. */
import type { HourlySeries, LeakAlert } from "./api";

export interface HourPoint {
  /** "2026-02-03T04" — the local day and hour. */
  hour: string;
  label: string;
  gallons: number | null;
  /** The hour is one a leak alert names. */
  leak: boolean;
}

const pad = (n: number) => String(n).padStart(2, "0");

/** 24 slots a day, flattened; the hours that triggered an alert marked (by the utility's
 * local hour, as the alert's instants are read in its zone). */
export function hourPoints(series: HourlySeries, alerts: LeakAlert[], zone: string): HourPoint[] {
  const leakHours = new Set<string>();
  const fmt = new Intl.DateTimeFormat("en-CA", { timeZone: zone, year: "numeric", month: "2-digit",
    day: "2-digit", hour: "2-digit", hourCycle: "h23" });
  for (const alert of alerts) {
    for (const h of alert.hours) {
      const parts = Object.fromEntries(fmt.formatToParts(new Date(h.at)).map((p) => [p.type, p.value]));
      leakHours.add(`${parts.year}-${parts.month}-${parts.day}T${parts.hour}`);
    }
  }
  const out: HourPoint[] = [];
  for (const day of series.days) {
    day.gallons.forEach((g, h) => {
      const hour = `${day.day}T${pad(h)}`;
      out.push({ hour, label: `${day.day.slice(5)} ${pad(h)}:00`,
        gallons: g === null || g === undefined ? null : Number(g), leak: leakHours.has(hour) });
    });
  }
  return out;
}

/** The first and last day of the 30 days up to `today` ("YYYY-MM-DD"). */
export function lastThirtyDays(today: string): { start: string; end: string } {
  const [y, m, d] = today.split("-").map(Number);
  const end = new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1));
  const start = new Date(end.getTime() - 29 * 86_400_000);
  return { start: start.toISOString().slice(0, 10), end: end.toISOString().slice(0, 10) };
}
