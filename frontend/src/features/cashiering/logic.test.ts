import { describe, expect, it } from "vitest";

import { isAmount, localToday, remainingOnTape, sum, tapeDifference } from "./logic";

describe("a mail batch against its tape", () => {
  it("balances only when count and total both match", () => {
    expect(tapeDifference({ control_total: "150.00", control_count: 2, keyed_total: "150.00",
      keyed_count: 2 })).toEqual({ count: 0, total: "0.00", balanced: true });
    expect(tapeDifference({ control_total: "60.00", control_count: 3, keyed_total: "60.00",
      keyed_count: 2 })).toEqual({ count: -1, total: "0.00", balanced: false });
  });

  it("says by how much it is over, in cents, without floats", () => {
    const d = tapeDifference({ control_total: "0.30", control_count: 2, keyed_total: "0.31",
      keyed_count: 2 });
    expect(d.total).toBe("0.01");
    expect(d.balanced).toBe(false);
  });

  it("shows what is left on the tape, never below zero", () => {
    expect(remainingOnTape({ control_total: "100.10", control_count: 2, keyed_total: "0.20",
      keyed_count: 1 })).toBe("99.90");
    expect(remainingOnTape({ control_total: "10.00", control_count: 1, keyed_total: "12.00",
      keyed_count: 1 })).toBe("0.00");
  });
});

describe("amounts as typed", () => {
  it("adds decimal strings exactly", () => {
    expect(sum(["0.10", "0.20", "1234.5"])).toBe("1234.80");
    expect(sum([])).toBe("0.00");
  });

  it("takes plain amounts above zero with at most cents", () => {
    expect(isAmount("12.34")).toBe(true);
    expect(isAmount(" 5 ")).toBe(true);
    expect(isAmount("0.00")).toBe(false);
    expect(isAmount("1.234")).toBe(false);
    expect(isAmount("-3")).toBe(false);
    expect(isAmount("1e3")).toBe(false);
  });

  it("writes the local day as the API takes it", () => {
    expect(localToday(new Date(2026, 0, 5, 23, 59))).toBe("2026-01-05");
  });
});
