import { approvalRefused, canHold, flagLabel, runSteps } from "./runActions";

const PREPARED = { status: "prepared", created_by: "tess", prepared_by: "tess" };

describe("the steps of a bill run offered to each user", () => {
  it("lets a technician work a preview and submit it, never approve it", () => {
    const preview = { status: "preview", created_by: "tess", prepared_by: null };
    expect(runSteps(preview, "billing_tech", "tess")).toEqual(
      ["recalculate", "prepare", "discard"]);
    expect(runSteps(PREPARED, "billing_tech", "tess")).not.toContain("approve");
  });

  it("offers approval to another supervisor, and never to the one who prepared the run", () => {
    expect(runSteps(PREPARED, "supervisor", "sam")).toContain("approve");
    expect(runSteps({ ...PREPARED, prepared_by: "sam" }, "supervisor", "sam"))
      .not.toContain("approve");
    expect(approvalRefused({ ...PREPARED, prepared_by: "sam" }, "sam"))
      .toMatch(/you prepared this run/);
  });

  it("refuses the creator of a run nobody prepared, as billing does", () => {
    expect(approvalRefused({ status: "prepared", created_by: "sam", prepared_by: null }, "sam"))
      .toMatch(/you created this run/);
  });

  it("offers finalising an approved run to a supervisor only", () => {
    const approved = { ...PREPARED, status: "approved" };
    expect(runSteps(approved, "supervisor", "sam")).toEqual(["finalise"]);
    expect(runSteps(approved, "billing_tech", "tess")).toEqual([]);
  });

  it("offers nothing on a final or discarded run, nor to a CSR", () => {
    expect(runSteps({ ...PREPARED, status: "finalised" }, "supervisor", "sam")).toEqual([]);
    expect(runSteps({ ...PREPARED, status: "discarded" }, "billing_tech", "x")).toEqual([]);
    expect(runSteps({ ...PREPARED, status: "preview" }, "csr1", "c")).toEqual([]);
  });

  it("holds bills only while the run is in preview", () => {
    expect(canHold({ ...PREPARED, status: "preview" }, "billing_tech")).toBe(true);
    expect(canHold(PREPARED, "billing_tech")).toBe(false);
    expect(canHold({ ...PREPARED, status: "preview" }, "csr2")).toBe(false);
  });

  it("names review flags in a clerk's words, unknown ones readable", () => {
    expect(flagLabel("large_change")).toBe("big change from last bill");
    expect(flagLabel("something_new")).toBe("something new");
  });
});
