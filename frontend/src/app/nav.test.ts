import { navFor } from "./nav";

const labels = (role: string) => navFor(role).map((i) => i.label);

describe("navigation by role", () => {
  it("gives a CSR accounts and the counter", () => {
    expect(labels("csr1")).toEqual(expect.arrayContaining(["Accounts", "Counter"]));
  });

  it("gives a supervisor accounts but no till of their own", () => {
    expect(labels("supervisor")).toContain("Accounts");
    expect(labels("supervisor")).not.toContain("Counter");
  });

  it("shows a field technician their worklist and nothing they could not use", () => {
    expect(labels("field_tech")).toEqual(["Field worklist"]);
  });

  it("gives a CSR II the call list and an administrator the collections job only", () => {
    expect(labels("csr2")).toEqual(expect.arrayContaining(["Collections", "Service orders"]));
    expect(labels("admin")).toContain("Collections job");
    expect(labels("admin")).not.toContain("Collections");
  });
});
