/** Water use by month from an account's bills: the last 12 months beside the year before. */

export interface BillUse {
  period_end: string; // YYYY-MM-DD
  status: string;
  water_use: string; // decimal text, units as billed
}

export interface MonthUse {
  month: string; // "2026-03"
  label: string; // "Mar 2026"
  thisYear: number | null;
  lastYear: number | null;
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov",
  "Dec"];

function index(month: string): number {
  const [y, m] = month.split("-").map(Number);
  return y! * 12 + (m! - 1);
}

function monthOf(i: number): string {
  return `${Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, "0")}`;
}

/**
 * One row per month for the `months` months ending with the newest bill's month; each month's
 * use is the sum of the final bills whose period ended in it (a cancelled bill's use is replaced
 * by its rebill), and last year's is the same month twelve months earlier. Use is a chart's
 * height, not money, so a float is fine here.
 */
export function usageByMonth(bills: BillUse[], months = 12): MonthUse[] {
  const byMonth = new Map<number, number>();
  for (const b of bills) {
    if (b.status !== "final") continue;
    const i = index(b.period_end.slice(0, 7));
    byMonth.set(i, (byMonth.get(i) ?? 0) + Number(b.water_use));
  }
  if (byMonth.size === 0) return [];
  const last = Math.max(...byMonth.keys());
  const rows: MonthUse[] = [];
  for (let i = last - months + 1; i <= last; i += 1) {
    const month = monthOf(i);
    rows.push({ month, label: `${MONTHS[i % 12]} ${Math.floor(i / 12)}`,
      thisYear: byMonth.get(i) ?? null, lastYear: byMonth.get(i - 12) ?? null });
  }
  return rows;
}
