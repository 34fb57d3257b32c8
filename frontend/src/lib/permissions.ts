/**
 * What each role may do, for showing and hiding navigation and buttons only: every service checks
 * roles itself (the server stays the authority), and these lists mirror its `require_roles`.
 */
export type Capability =
  | "accounts.read" // customers, accounts, premises, meters, bills, ledger (services' READERS)
  | "contacts.write" // contact log entries (accounts' CSRS)
  | "counter.take" // open a drawer, take payments, close it (payments' Cashier)
  | "drawers.review" // see every drawer (payments' CashierOrSupervisor)
  // billing screens (ui-billing): mirror billing's require_roles
  | "reads.work" // read imports, exceptions worklist, unread meters (reads' Tech)
  | "runs.work" // preview, hold, prepare, reopen, discard bill runs (runs' Tech)
  | "runs.approve" // approve and finalise a bill run (runs' Supervisor)
  | "rates.write" // create a rate schedule version (rates' Tech)
  | "budget.enrol" // enrol in / settle budget billing (ledger's Senior)
  | "reports.read" // aging, end of day, SB 998, run reports (each service's Staff)
  // ui-cash: cashiering's back office, the approvals inbox, admin
  | "cashiering.work" // batches, lockbox, returns, refunds, deposits, day end (payments' Staff)
  | "batches.key" // open a mail batch, key checks into it (payments' Keyer)
  | "refunds.decide" // approve, reject, void refunds; waive a returned-check fee (Supervisor)
  | "refunds.export" // check-request exports (payments' Exporter)
  | "approvals.inbox" // the one approvals inbox; drawer and deposit sign-off (Supervisor)
  | "admin.manage" // users and roles, dollar authority, parked events (gateway's Admin)
  // ui-collect: collections and field (collections' and accounts' orders' require_roles)
  | "collections.read" // call list, aging, notices, arrangements, closed, liens (collections' Staff)
  | "collections.work" // calls, promises, arrangements, protections (collections' Staff)
  | "collections.closed" // transfers, agency, write-off requests, lien notices (Worker)
  | "collections.batch" // make a notices print batch (notices' Clerk)
  | "collections.release" // release a batch, its print file (notices' Releaser)
  | "collections.approve" // approve batches, door tags, write-offs, certify liens (Supervisor)
  | "collections.daily" // run the daily job (daily's Runner)
  | "orders.manage" // create, dispatch, cancel service orders (accounts' CSRS)
  | "orders.work" // worklist and completion with a read (accounts' ORDER_WORKERS)
  // ui-csr (Account 360) ↓
  | "customers.write" // customer and account edits, identity check, start/stop/transfer, letters
  | "bills.read" // bills, explain, ledger (billing's Staff)
  | "adjustments.request" // adjustments within authority, above it a request (billing's Staff)
  | "appeals.work" // high-bill appeals and leak credits; balance transfers (billing's csr2+)
  | "deposits.release" // refund or credit a held deposit (accounts' Supervisor)
  | "portal.help" // a caller's portal logins: resend the confirmation, unlock (gateway's Csr)
  | "autopay.staff" // see and cancel an account's autopay (payments' autopay Staff)
  // notify-ui: customer notifications (accounts' notifications router)
  | "notifications.read" // messages, template previews, undeliverable list (Reader)
  | "notifications.resend" // resend a failed or bounced message; change preferences (Csr)
  // the nightly update (nightly/router.py)
  | "nightly.read" // the run log (Viewer)
  | "nightly.run" // run a night now, retry a failed step (Runner)
  // rebates (issue 15): accounts' rebates router
  | "rebates.read" // programmes, applications, check requests (accounts' Reader)
  | "rebates.work" // take in forms, approve within authority, deny (accounts' Csr)
  | "rebates.batch" // hand check requests to accounts payable (accounts' Supervisor)
  // courtesy: high-usage courtesy calls (billing's courtesy Caller)
  | "courtesy.work"; // the worklist of reads flagged high, record calls

const RULES: Record<Capability, readonly string[]> = {
  "accounts.read": ["csr1", "csr2", "billing_tech", "supervisor", "admin"],
  "contacts.write": ["csr1", "csr2", "supervisor"],
  "counter.take": ["csr1", "csr2", "billing_tech"],
  "drawers.review": ["csr1", "csr2", "billing_tech", "supervisor"],
  // billing screens (ui-billing)
  "reads.work": ["billing_tech", "supervisor"],
  "runs.work": ["billing_tech", "supervisor"],
  "runs.approve": ["supervisor"],
  "rates.write": ["billing_tech", "supervisor"],
  "budget.enrol": ["csr2", "billing_tech", "supervisor"],
  "reports.read": ["csr1", "csr2", "billing_tech", "supervisor"],
  // ui-cash
  "cashiering.work": ["csr1", "csr2", "billing_tech", "supervisor"],
  "batches.key": ["csr1", "csr2", "billing_tech"],
  "refunds.decide": ["supervisor"],
  "refunds.export": ["billing_tech", "supervisor"],
  "approvals.inbox": ["supervisor"],
  "admin.manage": ["admin"],
  // ui-collect
  "collections.read": ["csr1", "csr2", "billing_tech", "supervisor"],
  "collections.work": ["csr1", "csr2", "billing_tech", "supervisor"],
  "collections.closed": ["csr2", "billing_tech", "supervisor"],
  "collections.batch": ["csr2", "billing_tech", "supervisor", "admin"],
  "collections.release": ["billing_tech", "supervisor", "admin"],
  "collections.approve": ["supervisor"],
  "collections.daily": ["admin"],
  "orders.manage": ["csr1", "csr2", "supervisor"],
  "orders.work": ["csr1", "csr2", "billing_tech", "supervisor", "field_tech"],
  // ui-csr (Account 360) ↓
  "customers.write": ["csr1", "csr2", "supervisor"],
  "bills.read": ["csr1", "csr2", "billing_tech", "supervisor"],
  "adjustments.request": ["csr1", "csr2", "billing_tech", "supervisor"],
  "appeals.work": ["csr2", "billing_tech", "supervisor"],
  "deposits.release": ["supervisor"],
  "portal.help": ["csr1", "csr2", "supervisor", "admin"],
  "autopay.staff": ["csr1", "csr2", "billing_tech", "supervisor"],
  // notify-ui
  "notifications.read": ["csr1", "csr2", "billing_tech", "supervisor", "admin"],
  "notifications.resend": ["csr1", "csr2", "supervisor"],
  // the nightly update
  "nightly.read": ["billing_tech", "supervisor", "admin"],
  "nightly.run": ["supervisor", "admin"],
  // rebates (issue 15)
  "rebates.read": ["csr1", "csr2", "billing_tech", "supervisor", "admin"],
  "rebates.work": ["csr1", "csr2", "supervisor"],
  "rebates.batch": ["supervisor"],
  // courtesy
  "courtesy.work": ["csr1", "csr2", "billing_tech", "supervisor"],
};

export function can(role: string | null | undefined, capability: Capability): boolean {
  return !!role && RULES[capability].includes(role);
}

export const ROLE_NAMES: Record<string, string> = {
  csr1: "Customer Service Representative I",
  csr2: "Customer Service Representative II",
  billing_tech: "Billing technician",
  supervisor: "Supervisor",
  field_tech: "Field technician",
  admin: "Administrator",
};
