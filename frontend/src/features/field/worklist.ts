/** The technician's worklist, as pure functions (unit-tested without a browser). */
import type { Order } from "./api/queries";

const NEEDS_READ = new Set(["turn_on", "turn_off", "re_read", "meter_exchange"]);

/** Accounts' rule (orders/domain.py: needs_read): a metered order of these kinds, or a final read. */
export function needsRead(order: Pick<Order, "kind" | "meter_id" | "final_for_sa_ids">): boolean {
  return order.meter_id !== null && (NEEDS_READ.has(order.kind) || order.final_for_sa_ids.length > 0);
}

export interface RouteGroup {
  route: string;
  cycle: string;
  orders: Order[];
}

/** Orders grouped by route, in the worklist's walking order (the server sorts them). */
export function byRoute(orders: Order[]): RouteGroup[] {
  const groups = new Map<string, RouteGroup>();
  for (const o of orders) {
    const key = `${o.cycle}/${o.route}`;
    if (!groups.has(key)) groups.set(key, { route: o.route, cycle: o.cycle, orders: [] });
    groups.get(key)!.orders.push(o);
  }
  return [...groups.values()];
}

/** A read as the API takes it: digits with at most three decimals; null when empty, "invalid"
 * when it is not a number. */
export function parseRead(text: string): string | null {
  const t = text.trim();
  if (t === "") return null;
  return /^\d+(\.\d{1,3})?$/.test(t) ? t : "invalid";
}
