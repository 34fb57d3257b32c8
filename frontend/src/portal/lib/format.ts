/**
 * Money and dates in the customer's language. Amounts stay decimal strings (never floats):
 * Intl formats the string itself, so "1234.50" is shown exactly.
 */
import { toCents } from "@/lib/money";

export function formatAmount(value: string | null | undefined, locale: string): string {
  if (value === null || value === undefined || value === "") return "—";
  toCents(value); // refuses anything that is not a plain decimal amount
  return new Intl.NumberFormat(locale, { style: "currency", currency: "USD" })
    .format(value as unknown as number);
}

/** "2026-02-15" (a service date, no time of day) → "February 15, 2026" / "15 de febrero de 2026". */
export function formatDay(value: string | null | undefined, locale: string,
                          style: "long" | "short" = "long"): string {
  if (!value) return "—";
  const [y, m, d] = value.slice(0, 10).split("-").map(Number);
  const day = new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1));
  return new Intl.DateTimeFormat(locale, style === "long"
    ? { dateStyle: "long", timeZone: "UTC" }
    : { month: "short", day: "numeric", timeZone: "UTC" }).format(day);
}

/** An instant (ISO with zone) in the browser's zone: "Feb 3, 4:00 AM". */
export function formatInstant(value: string | null | undefined, locale: string): string {
  if (!value) return "—";
  return new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short" })
    .format(new Date(value));
}

/** Gallons as a whole number with the locale's grouping. */
export function formatGallons(value: string | number | null | undefined, locale: string): string {
  if (value === null || value === undefined || value === "") return "—";
  return new Intl.NumberFormat(locale, { maximumFractionDigits: 1 })
    .format(value as unknown as number);
}
