import { describe, expect, it } from "vitest";

import { payableAmount } from "./PayPage";

describe("the amount a customer pays", () => {
  it("takes a plain amount above zero, with a dollar sign or commas", () => {
    expect(payableAmount("42.5")).toBe("42.5");
    expect(payableAmount("$1,234.56")).toBe("1234.56");
  });

  it("refuses zero, negatives, fractions of a cent and words", () => {
    for (const bad of ["0", "0.00", "-5", "1.234", "ten", ""]) expect(payableAmount(bad)).toBeNull();
  });
});
