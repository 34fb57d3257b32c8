import { describe, expect, it } from "vitest";

import { passwordProblem, payloadSummary, STAFF_ROLES } from "./rules";

describe("admin's rules", () => {
  it("refuses a password the gateway would refuse, before sending it", () => {
    expect(passwordProblem("short")).toBe("At least 12 characters");
    expect(passwordProblem("twelve-chars")).toBeNull();
  });

  it("never offers the customer role to staff administration", () => {
    expect(STAFF_ROLES).not.toContain("customer");
    expect(STAFF_ROLES).toContain("supervisor");
  });

  it("cuts a long payload to one line", () => {
    const s = payloadSummary({ account: "x".repeat(300) }, 40);
    expect(s).toHaveLength(40);
    expect(s.endsWith("…")).toBe(true);
  });
});
