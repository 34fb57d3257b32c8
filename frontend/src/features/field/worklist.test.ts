import type { Order } from "./api/queries";
import { collectionsOrderId } from "./api/queries";
import { byRoute, needsRead, parseRead } from "./worklist";

function order(over: Partial<Order>): Order {
  return {
    id: "o", number: 1, kind: "re_read", status: "dispatched", account_id: null, premise_id: "p",
    meter_id: "m", scheduled_date: "2026-11-28", technician: "field_tech", dispatched_at: null,
    completed_at: null, read: null, notes: null, reason: null, reference: null, final_for_sa_ids: [],
    stop_date: null, address: "1 Oak St", cycle: "C1", route: "R01", meter_serial: "S1", ...over,
  };
}

describe("the field worklist", () => {
  it("asks for a read where accounts does: metered re-reads, turn-ons and offs, exchanges, final reads", () => {
    expect(needsRead(order({ kind: "re_read" }))).toBe(true);
    expect(needsRead(order({ kind: "leak_check" }))).toBe(false);
    expect(needsRead(order({ kind: "leak_check", final_for_sa_ids: ["sa"] }))).toBe(true);
    expect(needsRead(order({ kind: "turn_off", meter_id: null }))).toBe(false);
  });

  it("groups stops by route, keeping the walking order", () => {
    const groups = byRoute([order({ id: "a", route: "R01" }), order({ id: "b", route: "R02" }),
      order({ id: "c", route: "R01" })]);
    expect(groups.map((g) => [g.route, g.orders.map((o) => o.id)])).toEqual([
      ["R01", ["a", "c"]], ["R02", ["b"]]]);
  });

  it("takes a read as digits with at most three decimals", () => {
    expect(parseRead(" 1234.5 ")).toBe("1234.5");
    expect(parseRead("")).toBeNull();
    expect(parseRead("12,5")).toBe("invalid");
    expect(parseRead("-3")).toBe("invalid");
  });

  it("knows a disconnect collections asked for by its reference", () => {
    expect(collectionsOrderId(order({ reference: "collections:0f3c5e1a-2b4d-4e6f-8a9b-0c1d2e3f4a5b" })))
      .toBe("0f3c5e1a-2b4d-4e6f-8a9b-0c1d2e3f4a5b");
    expect(collectionsOrderId(order({ reference: "billing:x" }))).toBeNull();
  });
});
