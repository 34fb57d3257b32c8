import { can, type Capability } from "@/lib/permissions";

export interface NavItem {
  to: string;
  label: string;
  needs: Capability;
}

/** Every screen of the staff app; a role sees the ones it may use. */
export const NAV: NavItem[] = [
  { to: "/", label: "Accounts", needs: "accounts.read" },
  { to: "/counter", label: "Counter", needs: "counter.take" },
  // billing screens (ui-billing)
  { to: "/billing/reads", label: "Meter reads", needs: "reads.work" },
  { to: "/billing/runs", label: "Bill runs", needs: "runs.work" },
  { to: "/billing/rates", label: "Rates", needs: "rates.write" },
  { to: "/reports", label: "Reports", needs: "reports.read" },
  // ui-cash
  { to: "/cashiering", label: "Cashiering", needs: "cashiering.work" },
  { to: "/approvals", label: "Approvals", needs: "approvals.inbox" },
  { to: "/admin", label: "Admin", needs: "admin.manage" },
  // ui-collect
  { to: "/collections", label: "Collections", needs: "collections.read" },
  { to: "/orders", label: "Service orders", needs: "orders.manage" },
  { to: "/field", label: "Field worklist", needs: "orders.work" },
  { to: "/collections/daily", label: "Collections job", needs: "collections.daily" },
  // notify-ui
  { to: "/notifications", label: "Customer messages", needs: "notifications.read" },
  { to: "/nightly", label: "Nightly update", needs: "nightly.read" },
  // rebates (issue 15)
  { to: "/conservation", label: "Rebates", needs: "rebates.read" },
  // courtesy
  { to: "/courtesy", label: "Courtesy calls", needs: "courtesy.work" },
];

export function navFor(role: string | null | undefined): NavItem[] {
  return NAV.filter((item) => can(role, item.needs));
}
