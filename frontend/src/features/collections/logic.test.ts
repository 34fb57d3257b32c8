import type { components } from "@/api/schema";

import { actionsFor } from "./components/ClosedAccounts";
import { percentDone, resultRows } from "./components/DailyJob";
import { protectionsBody } from "./components/ProtectionsPanel";

type Case = components["schemas"]["CaseOut"];
const CASE: Case = {
  account_id: "a", account_number: "1", name: "N", status: "transfer_offered", closed_on: "2026-09-01",
  opened_on: "2026-10-01", opening_balance: "50.00", balance: "50.00", transfer_to_account_id: "b",
  transfer_to_account_number: "2", offer_declined_by: null, letter_1_on: null, letter_2_on: null,
  referral_id: null, referred_on: null, referred_amount: null, recalled_on: null, ended_on: null,
  next_step: "letter_1", next_on: "2026-10-15",
};

describe("closed accounts", () => {
  it("offers the transfer while it is offered, and a write-off only after letter 2 or the agency", () => {
    expect(actionsFor(CASE)).toEqual(["transfer", "decline"]);
    expect(actionsFor({ ...CASE, status: "letters", letter_1_on: "2026-10-15" })).toEqual([]);
    expect(actionsFor({ ...CASE, status: "letters", letter_2_on: "2026-11-14" })).toEqual(["write-off"]);
    expect(actionsFor({ ...CASE, status: "referred", referred_on: "2026-11-20" })).toEqual(["write-off"]);
    expect(actionsFor({ ...CASE, status: "paid", ended_on: "2026-11-21" })).toEqual([]);
  });
});

describe("protections", () => {
  const f = { on: "2026-11-02", until: "", certifier: "Dr. Ana Ruiz", basis: "medi_cal", how: "phone" };
  it("sends one section as the service takes it", () => {
    expect(protectionsBody("medical", f)).toEqual(
      { medical: { certified_on: "2026-11-02", expires_on: null, certifier: "Dr. Ana Ruiz" } });
    expect(protectionsBody("low_income", { ...f, until: "2027-11-01" })).toEqual(
      { low_income: { basis: "medi_cal", on: "2026-11-02", until: "2027-11-01" } });
    expect(protectionsBody("reached", f)).toEqual({ reached: { on: "2026-11-02", how: "phone" } });
  });
});

describe("the daily job's result", () => {
  it("lists every count of every part, and the cured accounts", () => {
    const rows = resultRows({ run_on: "2026-11-28", ran: true, ladder: { reminder: 3, late_charges: 1 },
      cured_accounts: 2, arrangements: { broken: 1 }, field: { door_tags: 4 }, seconds: { ladder: 0.4 } });
    expect(rows).toContainEqual({ part: "ladder", what: "reminder", count: "3" });
    expect(rows).toContainEqual({ part: "ladder", what: "late charges", count: "1" });
    expect(rows).toContainEqual({ part: "field", what: "door tags", count: "4" });
    expect(rows).toContainEqual({ part: "ladder", what: "accounts cured", count: "2" });
    expect(rows.some((r) => r.what === "ladder" && r.part === "seconds")).toBe(false);
  });
});

describe("the daily job's progress", () => {
  const steps = ["ladder", "arrangements", "field", "closed", "liens"];
  const at = (step: string | null, done: string[]) => ({ steps, running: step !== null, run_on: "2026-11-28",
    step, done: Object.fromEntries(done.map((d) => [d, 0.1])), started_at: null, finished_at: null, failed: false });
  it("counts finished steps and half of the running one", () => {
    expect(percentDone(at("ladder", []))).toBe(10);
    expect(percentDone(at("field", ["ladder", "arrangements"]))).toBe(50);
    expect(percentDone(at(null, steps))).toBe(100);
    expect(percentDone(undefined)).toBe(0);
  });
});
