import { formatMoney, fromCents, toCents } from "./money";
import { countTotal } from "@/features/counter/countTotal";

describe("money without floats", () => {
  it("formats amounts the API sends with thousands and two places", () => {
    expect(formatMoney("1234.5")).toBe("$1,234.50");
    expect(formatMoney("-12.34")).toBe("-$12.34");
    expect(formatMoney("0")).toBe("$0.00");
    expect(formatMoney(null)).toBe("—");
  });

  it("keeps cents exact where floats would not (0.1 + 0.2)", () => {
    expect(fromCents(toCents("0.1") + toCents("0.2"))).toBe("0.30");
  });

  it("refuses an amount with fractions of a cent", () => {
    expect(() => toCents("1.005")).toThrow();
  });

  it("adds a count sheet: three twenties and seven quarters are $61.75", () => {
    expect(countTotal({ "20": 3, "0.25": 7 })).toBe("61.75");
  });
});
