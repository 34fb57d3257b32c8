import { navFor } from "./nav";

const labels = (role: string) => navFor(role).map((i) => i.label);

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

  it("shows a field technician their worklist and nothing they could not use", () => {
    expect(labels("field_tech")).toEqual(["Field worklist"]);
  });

  it("gives a CSR II the call list and an administrator the collections job only", () => {
    expect(labels("csr2")).toEqual(expect.arrayContaining(["Collections", "Service orders"]));
    expect(labels("admin")).toContain("Collections job");
    expect(labels("admin")).not.toContain("Collections");
  });

  // ui-cash
  it("gives the approvals inbox to a supervisor only, and admin to an administrator only", () => {
    expect(labels("supervisor")).toEqual(expect.arrayContaining(["Cashiering", "Approvals"]));
    for (const role of ["csr1", "csr2", "billing_tech", "admin", "field_tech"]) {
      expect(labels(role)).not.toContain("Approvals");
    }
    expect(labels("admin")).toContain("Admin");
    expect(labels("supervisor")).not.toContain("Admin");
    expect(labels("csr1")).toContain("Cashiering");
    expect(labels("field_tech")).not.toContain("Cashiering");
  });

  // rebates (issue 15)
  it("gives office staff the Rebates screen and a field technician not", () => {
    for (const role of ["csr1", "csr2", "billing_tech", "supervisor", "admin"]) {
      expect(labels(role)).toContain("Rebates");
    }
    expect(labels("field_tech")).not.toContain("Rebates");
  });
});
