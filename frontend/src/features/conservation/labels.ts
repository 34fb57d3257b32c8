/** Words the conservation screens show for the API's codes, and today's date as typed. */
import type { Programme } from "./api/queries";

export const STATUS_LABEL: Record<string, string> = {
  pending: "Waiting for approval",
  approved: "Approved",
  denied: "Denied",
};

export const PAYMENT_LABEL: Record<string, string> = {
  credit: "Bill credit",
  check: "Check",
};

/** The local calendar date (not UTC's, which is already tomorrow on a California evening). */
export function localToday(now: Date = new Date()): string {
  const y = now.getFullYear();
  const m = String(now.getMonth() + 1).padStart(2, "0");
  const d = String(now.getDate()).padStart(2, "0");
  return `${y}-${m}-${d}`;
}

/** "$100.00 per toilet, at most 2" / "$2.00 per sq ft, at most $2,000.00". */
export function terms(p: Programme): string {
  const parts = [`$${p.per_unit} per ${p.unit}`];
  if (p.max_units) {
    const n = Number(p.max_units);
    parts.push(`at most ${n} ${p.unit}${n === 1 ? "" : "s"}`);
  }
  if (p.cap) parts.push(`at most $${p.cap} per application`);
  return parts.join(", ");
}

export function kinds(p: Programme): string {
  return p.premise_kinds.map((k) => k.replace(/_/g, " ")).join(", ");
}
