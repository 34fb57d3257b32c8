/**
 * The schedule preview of an amortised arrangement: the service's own rule
 * (services/collections/arrangements/domain.py: `amortised`, `add_months`), in cents so the
 * preview sums to the total exactly. The server stays the authority: it computes the schedule
 * again when the arrangement is made.
 */
import { fromCents, toCents } from "@/lib/money";

export interface PreviewInstalment {
  dueOn: string;
  amount: string;
}

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
}

/** The same day `n` months later (the month's last day when it is shorter); ISO dates. */
export function addMonths(iso: string, n: number): string {
  const [y = 0, m = 1, d = 1] = iso.split("-").map(Number);
  const index = m - 1 + n;
  const year = y + Math.floor(index / 12);
  const month = ((index % 12) + 12) % 12;
  const day = Math.min(d, daysIn(year, month));
  return `${year}-${String(month + 1).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

/** `months` instalments summing to `total`: equal shares rounded down to the cent, the cents
 * left over one each on the first ones. Null when it cannot be spread (or input is partial). */
export function amortised(total: string, months: number, firstDue: string): PreviewInstalment[] | null {
  let cents: bigint;
  try {
    cents = toCents(total);
  } catch {
    return null;
  }
  if (!Number.isInteger(months) || months < 1 || cents <= 0n || !/^\d{4}-\d{2}-\d{2}$/.test(firstDue)) {
    return null;
  }
  const count = BigInt(months);
  const base = cents / count;
  const extra = cents % count;
  if (base === 0n) return null;
  return Array.from({ length: months }, (_, i) => ({
    dueOn: addMonths(firstDue, i),
    amount: fromCents(base + (BigInt(i) < extra ? 1n : 0n)),
  }));
}

/** The sum of amounts typed for an alternative schedule, in cents; null when one is not an amount. */
export function sumAmounts(amounts: string[]): string | null {
  try {
    return fromCents(amounts.reduce((sum, a) => sum + toCents(a), 0n));
  } catch {
    return null;
  }
}
