import { describe, expect, it } from "vitest";

import type { Drawer, Run } from "./api/types";
import {
  aboveAuthority, fromAdjustment, fromDeposit, fromDrawer, fromRebate, fromRun, splitInbox,
} from "./pending";

const adjustment = (over: Partial<Parameters<typeof fromAdjustment>[0]> = {}) => fromAdjustment({
  id: "a1", account_id: "acc1", amount: "-60.00", reason_code: "leak", reason: "leak credit",
  status: "pending", requested_by: "csr_one", requested_role: "csr1", approved_by: null,
  entry_id: null, source: "staff", created_at: "2026-02-01T10:00:00Z", decided_at: null, ...over,
});

const run = (over: Partial<Run>): Run => ({
  id: "r1", cycle: "C1", kind: "cycle", account_id: null, period_start: "2026-01-01",
  period_end: "2026-01-31", bill_date: "2026-02-01", due_date: "2026-02-21", status: "prepared",
  created_by: "tech", prepared_by: "tech", approved_by: null, finalised_by: null,
  finalised_at: null, bills: 12, total: "1234.50", flagged: 1, held: 0, flags: {},
  held_for_copy: 0, ...over,
});

const drawer = (over: Partial<Drawer>): Drawer => ({
  id: "d1", cashier: "cash1", status: "closed", opened_at: "2026-02-01T08:00:00Z",
  opened_on: "2026-02-01", float_amount: "100.00", closed_at: "2026-02-01T17:00:00Z",
  closed_by: "cash1", counted: { "20": 5 }, counted_cash: "100.00", expected_cash: "100.00",
  over_short: "0.00", signed_off_by: null, signed_off_at: null, sign_off_note: null, taken: [],
  ...over,
});

describe("the approvals inbox", () => {
  it("never offers a supervisor their own request, but lists it apart", () => {
    const mine = adjustment({ id: "a2", requested_by: "sup" });
    const theirs = adjustment();
    const { approvable, own } = splitInbox([mine, theirs], "sup");
    expect(approvable.map((i) => i.id)).toEqual(["a1"]);
    expect(own.map((i) => i.id)).toEqual(["a2"]);
  });

  it("keeps billing's rule for runs: the preparer never approves, the creator may", () => {
    const prepared = fromRun(run({ created_by: "sup", prepared_by: "tech" }));
    expect(splitInbox([prepared], "sup").approvable).toHaveLength(1);
    expect(splitInbox([prepared], "tech").own).toHaveLength(1);
    const unprepared = fromRun(run({ created_by: "sup", prepared_by: null }));
    expect(splitInbox([unprepared], "sup").own).toHaveLength(1);
  });

  it("asks the reason for signing off a drawer that is over or short, not an even one", () => {
    expect(fromDrawer(drawer({ over_short: "-0.25" })).approveNote).toBe("required");
    expect(fromDrawer(drawer({})).approveNote).toBe("optional");
  });

  it("treats a drawer closed by someone else as its closer's own too", () => {
    const d = fromDrawer(drawer({ cashier: "cash1", closed_by: "sup" }));
    expect(splitInbox([d], "sup").own).toHaveLength(1);
    expect(splitInbox([d], "cash1").own).toHaveLength(1);
  });

  it("never offers a deposit to whoever prepared it or worked one of its drawers", () => {
    const source = { source: "drawer", id: "d1", worked_by: "cash2", taken_on: "2026-02-01",
      cash: "10.00", cash_counts: {}, float_kept: "100.00", kept_counts: {}, checks_count: 0,
      checks_total: "0.00" };
    const d = fromDeposit({ id: "dep", number: 7, status: "prepared", prepared_on: "2026-02-01",
      prepared_by: "cash1", prepared_at: "2026-02-01T18:00:00Z", cash: [], cash_total: "10.00",
      checks: [], checks_count: 0, checks_total: "0.00", total: "10.00", drawers: [source],
      batches: [], note: null, signed_off_by: null, signed_off_at: null, sign_off_note: null,
      bank_reference: null, deposited_on: null, confirmed_by: null, confirmed_at: null,
    });
    expect(splitInbox([d], "cash2").approvable).toHaveLength(0);
    expect(splitInbox([d], "sup").approvable).toHaveLength(1);
  });

  it("says when a credit is beyond the approver's dollar authority, by its size", () => {
    expect(aboveAuthority(adjustment({ amount: "-1000.01" }), "1000.00")).toBe(true);
    expect(aboveAuthority(adjustment({ amount: "-1000.00" }), "1000.00")).toBe(false);
    // Sign-offs weigh no authority.
    expect(aboveAuthority(fromDrawer(drawer({ counted_cash: "5000.00" })), "1000.00"))
      .toBe(false);
  });

  it("works kinds in a fixed order, oldest first within one", () => {
    const later = adjustment({ id: "late", created_at: "2026-02-03T00:00:00Z" });
    const earlier = adjustment({ id: "early", created_at: "2026-02-02T00:00:00Z" });
    const r = fromRun(run({}));
    expect(splitInbox([later, r, earlier], "sup").approvable.map((i) => i.id))
      .toEqual(["r1", "early", "late"]);
  });

  it("lists a rebate application with its account, says when it is above one's authority", () => {
    const r = fromRebate({ id: "rb1", account_id: "acc9", account_number: "100000009",
      customer_name: "Ada Park", premise_id: "p9", premise_address: "9 Elm St",
      programme: "turf_replacement", units: "600", amount: "1200.00", payment: "check",
      status: "pending", received_on: "2026-03-02", installed_on: null, note: null,
      requested_by: "csr_one", decided_by: null, decided_on: null, reason: null,
      letter_id: null, form_ids: [], check_batch: null, created_at: "2026-03-02T10:00:00Z" });
    expect(r.kind).toBe("rebate");
    expect(r.what).toBe("turf replacement rebate, 600 unit(s) at 9 Elm St for Ada Park, "
      + "paid by check");
    expect(r.accountNumber).toBe("100000009");
    expect(aboveAuthority(r, "1000.00")).toBe(true);
    expect(aboveAuthority(r, "1500.00")).toBe(false);
    expect(splitInbox([r], "csr_one").approvable).toHaveLength(0);
  });
});
