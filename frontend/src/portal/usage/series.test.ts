import { describe, expect, it } from "vitest";

import type { HourlySeries, LeakAlert } from "./api";
import { hourPoints, lastThirtyDays } from "./series";

const series = {
  account_id: "a", meter_id: "m", start: "2026-02-01", end: "2026-02-02",
  timezone: "America/Los_Angeles", unit: "gallons",
  days: [
    { day: "2026-02-01", gallons: Array.from({ length: 24 }, (_, h) => (h === 3 ? null : "1.5")) },
    { day: "2026-02-02", gallons: Array.from({ length: 24 }, () => "4") },
  ],
} as unknown as HourlySeries;

describe("usage series", () => {
  it("flattens days into 48 hours, keeping a missing hour missing", () => {
    const points = hourPoints(series, [], "America/Los_Angeles");
    expect(points).toHaveLength(48);
    expect(points[3]).toMatchObject({ hour: "2026-02-01T03", gallons: null });
    expect(points[24]).toMatchObject({ hour: "2026-02-02T00", gallons: 4 });
  });

  it("marks the local hours a leak alert names", () => {
    const alert = { hours: [{ at: "2026-02-02T10:00:00Z", gallons: "4" }] } as unknown as LeakAlert;
    const points = hourPoints(series, [alert], "America/Los_Angeles");
    expect(points.filter((p) => p.leak).map((p) => p.hour)).toEqual(["2026-02-02T02"]);
  });

  it("takes thirty days ending today", () => {
    expect(lastThirtyDays("2026-03-01")).toEqual({ start: "2026-01-31", end: "2026-03-01" });
  });
});
