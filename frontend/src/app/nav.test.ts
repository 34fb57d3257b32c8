import { navFor } from "./nav";

describe("navigation by role", () => {
  it("gives a CSR accounts and the counter", () => {
    expect(navFor("csr1").map((i) => i.label)).toEqual(
      expect.arrayContaining(["Accounts", "Counter"]));
  });

  it("gives a supervisor accounts but no till of their own", () => {
    const labels = navFor("supervisor").map((i) => i.label);
    expect(labels).toContain("Accounts");
    expect(labels).not.toContain("Counter");
  });

  it("gives a billing technician reads, runs and rates, and a CSR none of them", () => {
    expect(navFor("billing_tech").map((i) => i.label)).toEqual(
      expect.arrayContaining(["Meter reads", "Bill runs", "Rates", "Reports"]));
    const csr = navFor("csr1").map((i) => i.label);
    for (const label of ["Meter reads", "Bill runs", "Rates"]) expect(csr).not.toContain(label);
  });

  it("shows a field technician nothing they could not use", () => {
    expect(navFor("field_tech")).toEqual([]);
  });
});
