import { fileRecorded, paymentRecorded } from "./AgencyPayments";

describe("agency payments as the clerk reads them back", () => {
  it("says whether the commission was added to the customer's debt", () => {
    const base = { agency_reference: "AG-1", amount: "100.00", fee: "25.00" };
    expect(paymentRecorded({ ...base, fee_added_to_debt: true })).toContain("added to what the customer owes");
    expect(paymentRecorded({ ...base, fee_added_to_debt: false })).toContain("district bears it");
  });

  it("counts a re-sent file's lines as already recorded", () => {
    expect(fileRecorded({ file: "ag.csv", lines: 3, recorded: 0, already_recorded: 3,
      amount: "0.00", fee: "0.00" })).toBe("ag.csv: 3 line(s), 0 recorded, 3 already recorded before; 0.00 paid, 0.00 commission.");
  });
});
