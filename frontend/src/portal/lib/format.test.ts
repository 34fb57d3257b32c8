import { describe, expect, it } from "vitest";

import { formatAmount, formatDay, formatGallons } from "./format";

describe("portal formats", () => {
  it("shows an amount exactly, in English and in Spanish", () => {
    expect(formatAmount("1234.5", "en-US")).toBe("$1,234.50");
    expect(formatAmount("-12.34", "en-US")).toBe("-$12.34");
    const es = formatAmount("1234.5", "es-US");
    expect(es).toContain("1,234.50");
    // past a float's 15 digits, still exact
    expect(formatAmount("900719925474099.93", "en-US")).toBe("$900,719,925,474,099.93");
  });

  it("refuses something that is not an amount", () => {
    expect(() => formatAmount("12,00", "en-US")).toThrow();
    expect(formatAmount(null, "en-US")).toBe("—");
  });

  it("shows a service date as that calendar day whatever the browser's zone", () => {
    expect(formatDay("2026-02-01", "en-US")).toBe("February 1, 2026");
    expect(formatDay("2026-02-01", "es-US")).toBe("1 de febrero de 2026");
  });

  it("groups gallons by the locale", () => {
    expect(formatGallons("12345", "en-US")).toBe("12,345");
  });
});
