import { localToday, terms } from "./labels";

describe("conservation labels", () => {
  it("states a programme's amount, unit limit and cap", () => {
    const base = { key: "x", name: "X", premise_kinds: [] };
    expect(terms({ ...base, unit: "washer", per_unit: "150.00", max_units: "1", cap: null }))
      .toBe("$150.00 per washer, at most 1 washer");
    expect(terms({ ...base, unit: "sq ft", per_unit: "2.00", max_units: null, cap: "2000.00" }))
      .toBe("$2.00 per sq ft, at most $2000.00 per application");
  });

  it("takes today as the local calendar date", () => {
    expect(localToday(new Date(2026, 2, 5, 23, 30))).toBe("2026-03-05");
  });
});
