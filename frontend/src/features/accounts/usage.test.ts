import { adjustmentOutcome } from "./authority";
import { usageByMonth } from "./usage";

describe("usage by month", () => {
  it("sets each of the last twelve months beside the same month a year earlier", () => {
    const rows = usageByMonth([
      { period_end: "2026-03-31", status: "final", water_use: "14.000" },
      { period_end: "2026-02-28", status: "final", water_use: "12" },
      { period_end: "2025-03-31", status: "final", water_use: "9" },
      { period_end: "2026-02-27", status: "cancelled", water_use: "99" },
    ]);
    expect(rows).toHaveLength(12);
    expect(rows[0]!.month).toBe("2025-04");
    expect(rows[11]).toEqual({ month: "2026-03", label: "Mar 2026", thisYear: 14, lastYear: 9 });
    expect(rows[10]).toEqual({ month: "2026-02", label: "Feb 2026", thisYear: 12,
      lastYear: null });
  });

  it("has nothing to chart without a final bill", () => {
    expect(usageByMonth([{ period_end: "2026-03-31", status: "cancelled", water_use: "3" }]))
      .toEqual([]);
  });
});

describe("adjustment outcome", () => {
  it("says plainly that an amount above the authority becomes a request", () => {
    const over = adjustmentOutcome("-40.00", "25.00");
    expect(over.kind).toBe("request");
    expect(over.kind !== "none" && over.text).toContain(
      "A credit of $40.00 is above your authority of $25.00");
    expect(over.kind !== "none" && over.text).toContain("approvals queue");
  });

  it("posts at once within the authority, the limit included", () => {
    expect(adjustmentOutcome("25", "25.00").kind).toBe("posts");
    expect(adjustmentOutcome("-0.01", "0.00").kind).toBe("request");
  });

  it("says nothing for an empty, zero or unreadable amount", () => {
    for (const a of ["", "0", "abc", "1.234"]) expect(adjustmentOutcome(a, "25").kind).toBe("none");
  });
});
