import type { CourtesyItem } from "./api/courtesy";
import { basis, headline, nextDay, units } from "./courtesy";

const C: CourtesyItem["comparison"] = { unit: "HCF", per_day: "1.33",
  prior_period_per_day: "0.33", last_year_per_day: "0.20", average_per_day: "0.40",
  times_prior_period: "4.00", times_last_year: "6.65", times_average: "3.33",
  flagged_against: "prior_period" };

describe("courtesy helpers", () => {
  it("names the basis that flagged the read, else the largest ratio", () => {
    expect(headline(C)).toBe("4.00× the prior period");
    expect(headline({ ...C, flagged_against: null })).toBe("6.65× the same period last year");
    expect(headline({ ...C, flagged_against: null, times_prior_period: null,
      times_last_year: null, times_average: null })).toBe("no earlier use to compare with");
  });

  it("writes a basis with its ratio, or a dash when there is none", () => {
    expect(basis("0.33", "4.00", "HCF")).toBe("0.33 HCF/day (4.00×)");
    expect(basis("1.33", null, "HCF")).toBe("1.33 HCF/day");
    expect(basis(null, null, "HCF")).toBe("—");
  });

  it("writes a quantity without trailing zeros", () => {
    expect(units("40.0000")).toBe("40");
    expect(units("12.5000")).toBe("12.5");
    expect(units("300")).toBe("300");
  });

  it("schedules a leak check for the next calendar day", () => {
    expect(nextDay("2026-02-28")).toBe("2026-03-01");
    expect(nextDay("2026-12-31")).toBe("2027-01-01");
  });
});
