import { describe, expect, it } from "vitest";

import { smsLength } from "./sms";

describe("a text message's length", () => {
  it("fits 160 GSM characters in one part, and splits at 153 beyond", () => {
    expect(smsLength("a".repeat(160))).toEqual({ characters: 160, parts: 1, encoding: "GSM-7" });
    expect(smsLength("a".repeat(161)).parts).toBe(2);
    expect(smsLength("Su factura: ñ ü é").encoding).toBe("GSM-7");
  });

  it("sends Spanish accents outside GSM's set as UCS-2, 70 to a part", () => {
    const text = "Recibimos su pago de $84.20. Gracias — número R-1 ".padEnd(71, "x");
    expect(smsLength(text)).toMatchObject({ encoding: "UCS-2", parts: 2 });
    expect(smsLength("á").encoding).toBe("UCS-2");
  });
});
