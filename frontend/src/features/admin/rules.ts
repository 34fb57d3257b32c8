/** What the gateway asks of users, said before the form is sent (the gateway checks again). */

/** Staff roles an administrator assigns (customers register through the portal). */
export const STAFF_ROLES = ["csr1", "csr2", "billing_tech", "supervisor", "field_tech", "admin"];

/** Why a password would be refused, or null (the gateway wants at least 12 characters). */
export function passwordProblem(password: string): string | null {
  if (password.length < 12) return "At least 12 characters";
  if (password.length > 256) return "At most 256 characters";
  return null;
}

/** A parked event's payload on one line, long values cut (the full one is a click away). */
export function payloadSummary(payload: Record<string, unknown>, max = 120): string {
  const text = JSON.stringify(payload);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
