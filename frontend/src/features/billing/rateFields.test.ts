import type { RateVersion } from "./api/rates";
import { changedPrices, nextVersion, priceFields, priceProblem } from "./rateFields";

const BASE: RateVersion = {
  id: "v1", name: "FY2026", effective_date: "2025-07-01", drought_stage: 0,
  fixed: [{ service: "water", meter_size: "5/8", amount: "18.500000" }],
  classes: [{ service: "water", rate_class: "RES", basis: "metered", cap: null,
    minimum_charge: "5.00", widths_per_unit: false,
    blocks: [{ width: "10", price: "3.000000" }, { width: null, price: "4.250000" }] }],
  surcharges: [{ service: "water", stage: 2, price: "0.500000" }],
  fees: [],
};

describe("the next rate schedule version", () => {
  it("offers every price of the latest version with where it applies", () => {
    const fields = priceFields(BASE);
    expect(fields.map((f) => [f.key, f.label, f.value])).toEqual([
      ["fixed.0.amount", "water, 5/8 meter", "18.500000"],
      ["classes.0.blocks.0.price", "Block 1 (0–10)", "3.000000"],
      ["classes.0.blocks.1.price", "Block 2 (over 10)", "4.250000"],
      ["classes.0.minimum_charge", "Minimum charge", "5.00"],
      ["surcharges.0.price", "water, stage 2", "0.500000"],
    ]);
  });

  it("keeps the structure, changes only the edited prices, and drops the old id", () => {
    const next = nextVersion(BASE, { "classes.0.blocks.1.price": " 4.75 " },
      { name: " FY2027 ", effective_date: "2026-07-01", drought_stage: 2 });
    expect(next).not.toHaveProperty("id");
    expect(next.name).toBe("FY2027");
    expect(next.effective_date).toBe("2026-07-01");
    expect(next.drought_stage).toBe(2);
    expect(next.classes[0]?.blocks?.[1]?.price).toBe("4.75");
    expect(next.classes[0]?.blocks?.[0]?.price).toBe("3.000000");
    expect(BASE.classes[0]?.blocks?.[1]?.price).toBe("4.250000"); // the base is untouched
  });

  it("refuses prices that are not plain decimals (never floats or words)", () => {
    expect(priceProblem("3.25")).toBeNull();
    expect(priceProblem("0.000001")).toBeNull();
    expect(priceProblem("")).toMatch(/Enter a price/);
    expect(priceProblem("3.2500001")).toMatch(/6 decimal/);
    expect(priceProblem("-1")).not.toBeNull();
    expect(priceProblem("1e3")).not.toBeNull();
  });

  it("lists what changed for the reviewer", () => {
    const fields = priceFields(BASE);
    expect(changedPrices(fields, { "fixed.0.amount": "18.500000",
      "surcharges.0.price": "0.75" }).map((f) => f.key)).toEqual(["surcharges.0.price"]);
  });
});
