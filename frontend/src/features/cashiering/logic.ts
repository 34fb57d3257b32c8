/** Cashiering's arithmetic, in whole cents (never floats): tapes, bags, selections. */
import { fromCents, toCents } from "@/lib/money";

export interface Tape {
  control_total: string;
  control_count: number;
  keyed_total: string;
  keyed_count: number;
}

/** How far what was keyed is from the adding-machine tape; balanced when both are zero. */
export function tapeDifference(b: Tape): { count: number; total: string; balanced: boolean } {
  const count = b.keyed_count - b.control_count;
  const cents = toCents(b.keyed_total) - toCents(b.control_total);
  return { count, total: fromCents(cents), balanced: count === 0 && cents === 0n };
}

/** What the next check may be at most for the tape to still balance ("0.00" when full). */
export function remainingOnTape(b: Tape): string {
  const cents = toCents(b.control_total) - toCents(b.keyed_total);
  return fromCents(cents > 0n ? cents : 0n);
}

/** The sum of decimal strings, exactly. */
export function sum(amounts: Iterable<string>): string {
  let cents = 0n;
  for (const a of amounts) cents += toCents(a);
  return fromCents(cents);
}

/** A plain amount as a clerk types it: digits with at most two decimals, above zero. */
export function isAmount(value: string): boolean {
  const v = value.trim();
  if (!/^\d+(\.\d{1,2})?$/.test(v)) return false;
  return toCents(v) > 0n;
}

/** The bank's reasons a check comes back (OTHER needs a note). */
export const RETURN_CODES = [
  { value: "NSF", label: "NSF — insufficient funds" },
  { value: "STOP_PAYMENT", label: "Stop payment" },
  { value: "ACCOUNT_CLOSED", label: "Account closed" },
  { value: "UNABLE_TO_LOCATE", label: "Unable to locate account" },
  { value: "OTHER", label: "Other (say why)" },
];

/** Today in the browser's calendar as YYYY-MM-DD (the district's office is in one zone). */
export function localToday(now: Date = new Date()): string {
  const p = (n: number) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${p(now.getMonth() + 1)}-${p(now.getDate())}`;
}
