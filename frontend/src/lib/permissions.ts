/**
 * What each role may do, for showing and hiding navigation and buttons only: every service checks
 * roles itself (the server stays the authority), and these lists mirror its `require_roles`.
 */
export type Capability =
  | "accounts.read" // customers, accounts, premises, meters, bills, ledger (services' READERS)
  | "contacts.write" // contact log entries (accounts' CSRS)
  | "counter.take" // open a drawer, take payments, close it (payments' Cashier)
  | "drawers.review" // see every drawer (payments' CashierOrSupervisor)
  // ui-csr (Account 360) ↓
  | "customers.write" // customer and account edits, identity check, start/stop/transfer, letters
  | "bills.read" // bills, explain, ledger (billing's Staff)
  | "adjustments.request" // adjustments within authority, above it a request (billing's Staff)
  | "appeals.work" // high-bill appeals and leak credits; balance transfers (billing's csr2+)
  | "deposits.release" // refund or credit a held deposit (accounts' Supervisor)
  | "portal.help" // a caller's portal logins: resend the confirmation, unlock (gateway's Csr)
  | "autopay.staff"; // see and cancel an account's autopay (payments' autopay Staff)

const RULES: Record<Capability, readonly string[]> = {
  "accounts.read": ["csr1", "csr2", "billing_tech", "supervisor", "admin"],
  "contacts.write": ["csr1", "csr2", "supervisor"],
  "counter.take": ["csr1", "csr2", "billing_tech"],
  "drawers.review": ["csr1", "csr2", "billing_tech", "supervisor"],
  // ui-csr (Account 360) ↓
  "customers.write": ["csr1", "csr2", "supervisor"],
  "bills.read": ["csr1", "csr2", "billing_tech", "supervisor"],
  "adjustments.request": ["csr1", "csr2", "billing_tech", "supervisor"],
  "appeals.work": ["csr2", "billing_tech", "supervisor"],
  "deposits.release": ["supervisor"],
  "portal.help": ["csr1", "csr2", "supervisor", "admin"],
  "autopay.staff": ["csr1", "csr2", "billing_tech", "supervisor"],
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
