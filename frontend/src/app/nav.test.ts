import { navFor } from "./nav";

describe("navigation by role", () => {
  it("gives a CSR accounts and the counter", () => {
    expect(navFor("csr1").map((i) => i.label)).toEqual(["Accounts", "Counter"]);
  });

  it("gives a supervisor accounts but no till of their own", () => {
    expect(navFor("supervisor").map((i) => i.label)).toEqual(["Accounts"]);
  });

  it("shows a field technician nothing they could not use", () => {
    expect(navFor("field_tech")).toEqual([]);
  });
});
