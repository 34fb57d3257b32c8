/** Pure helpers of the courtesy-call screen: labels, the comparison in words, dates. */
import type { CourtesyItem, Outcome } from "./api/courtesy";

export const OUTCOME_LABELS: Record<Outcome, string> = {
  spoke_with_customer: "Spoke with the customer",
  left_message: "Left a message",
  no_answer: "No answer",
  wrong_number: "Wrong number",
  leak_check_ordered: "Leak check ordered",
};

/** Outcomes a caller picks by hand (a leak check is ordered with its own button). */
export const CALL_OUTCOMES: Outcome[] = ["spoke_with_customer", "left_message", "no_answer",
  "wrong_number"];

export const STATUS_LABELS: Record<CourtesyItem["status"], string> = {
  open: "Not called",
  attempted: "Tried",
  done: "Done",
};

const BASIS_LABELS = {
  prior_period: "prior period",
  last_year: "same period last year",
  average: "average",
} as const;

type Comparison = CourtesyItem["comparison"];

/** "4.00× the prior period" for the basis that flagged the read (or the highest one). */
export function headline(c: Comparison): string {
  const pairs: [keyof typeof BASIS_LABELS, string | null][] = [
    ["prior_period", c.times_prior_period], ["last_year", c.times_last_year],
    ["average", c.times_average]];
  const flagged = pairs.find(([b]) => b === c.flagged_against);
  const best = flagged && flagged[1] !== null ? flagged
    : pairs.filter(([, t]) => t !== null)
      .sort((a, b) => Number(b[1]) - Number(a[1]))[0];
  if (!best || best[1] === null) return "no earlier use to compare with";
  return `${best[1]}× the ${BASIS_LABELS[best[0]]}`;
}

/** One basis as "0.33 HCF/day (4.00×)", or "—" when there is none. */
export function basis(perDay: string | null, times: string | null, unit: string): string {
  if (perDay === null) return "—";
  return times === null ? `${perDay} ${unit}/day` : `${perDay} ${unit}/day (${times}×)`;
}

/** A register quantity without its trailing zeros: "40.0000" -> "40", "12.5000" -> "12.5". */
export function units(quantity: string): string {
  return quantity.includes(".") ? quantity.replace(/\.?0+$/, "") : quantity;
}

/** The day after `today` (YYYY-MM-DD): when a leak check ordered now is scheduled. */
export function nextDay(today: string): string {
  const [y = 1970, m = 1, d = 1] = today.split("-").map(Number);
  const next = new Date(Date.UTC(y, m - 1, d + 1));
  return next.toISOString().slice(0, 10);
}

/** Today in the browser's calendar as YYYY-MM-DD (the district's office is in one zone). */
export function localToday(now: Date = new Date()): string {
  const p = (n: number) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${p(now.getMonth() + 1)}-${p(now.getDate())}`;
}
