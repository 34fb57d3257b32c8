/**
 * What each role may do, for showing and hiding navigation and buttons only: every service checks
 * roles itself (the server stays the authority), and these lists mirror its `require_roles`.
 */
export type Capability =
  | "accounts.read" // customers, accounts, premises, meters, bills, ledger (services' READERS)
  | "contacts.write" // contact log entries (accounts' CSRS)
  | "counter.take" // open a drawer, take payments, close it (payments' Cashier)
  | "drawers.review" // see every drawer (payments' CashierOrSupervisor)
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
  | "deposits.release"; // refund or credit a held deposit (accounts' Supervisor)

const RULES: Record<Capability, readonly string[]> = {
  "accounts.read": ["csr1", "csr2", "billing_tech", "supervisor", "admin"],
  "contacts.write": ["csr1", "csr2", "supervisor"],
  "counter.take": ["csr1", "csr2", "billing_tech"],
  "drawers.review": ["csr1", "csr2", "billing_tech", "supervisor"],
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
