/**
 * What each role may do, for showing and hiding navigation and buttons only: every service checks
 * roles itself (the server stays the authority), and these lists mirror its `require_roles`.
 */
export type Capability =
  | "accounts.read" // customers, accounts, premises, meters, bills, ledger (services' READERS)
  | "contacts.write" // contact log entries (accounts' CSRS)
  | "counter.take" // open a drawer, take payments, close it (payments' Cashier)
  | "drawers.review"; // see every drawer (payments' CashierOrSupervisor)

const RULES: Record<Capability, readonly string[]> = {
  "accounts.read": ["csr1", "csr2", "billing_tech", "supervisor", "admin"],
  "contacts.write": ["csr1", "csr2", "supervisor"],
  "counter.take": ["csr1", "csr2", "billing_tech"],
  "drawers.review": ["csr1", "csr2", "billing_tech", "supervisor"],
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
