import { addMonths, amortised, sumAmounts } from "./schedule";

describe("an arrangement's schedule preview", () => {
  it("spreads 1,000.00 over 12 months as the service does: four of 83.34, eight of 83.33", () => {
    const plan = amortised("1000.00", 12, "2026-12-15");
    expect(plan).toHaveLength(12);
    expect(plan!.slice(0, 4).every((i) => i.amount === "83.34")).toBe(true);
    expect(plan!.slice(4).every((i) => i.amount === "83.33")).toBe(true);
    expect(sumAmounts(plan!.map((i) => i.amount))).toBe("1000.00");
    expect(plan![1]?.dueOn).toBe("2027-01-15");
  });

  it("keeps the day of the month, or the month's last day when it is shorter", () => {
    expect(addMonths("2026-01-31", 1)).toBe("2026-02-28");
    expect(addMonths("2027-12-31", 2)).toBe("2028-02-29");
    expect(addMonths("2026-11-30", 3)).toBe("2027-02-28");
  });

  it("refuses what cannot be spread or is not an amount", () => {
    expect(amortised("0.05", 12, "2026-12-01")).toBeNull();
    expect(amortised("12.3x", 3, "2026-12-01")).toBeNull();
    expect(amortised("100.00", 0, "2026-12-01")).toBeNull();
    expect(sumAmounts(["1.00", "abc"])).toBeNull();
  });
});
