import { fromCents, toCents } from "@/lib/money";

/** What a count sheet adds up to, in whole cents (pieces × denomination), as "123.45". */
export function countTotal(counts: Record<string, number>): string {
  let cents = 0n;
  for (const [denomination, pieces] of Object.entries(counts)) {
    if (!Number.isInteger(pieces) || pieces < 0) continue;
    cents += toCents(denomination) * BigInt(pieces);
  }
  return fromCents(cents);
}
