/** What an adjustment of `amount` does for someone with `authority`: said before they submit. */
import { formatMoney, fromCents, toCents } from "@/lib/money";

export type Outcome = { kind: "none" } | { kind: "posts"; text: string }
  | { kind: "request"; text: string };

export function adjustmentOutcome(amount: string, authority: string | undefined): Outcome {
  let cents: bigint;
  try {
    cents = toCents(amount);
  } catch {
    return { kind: "none" };
  }
  if (cents === 0n || authority === undefined) return { kind: "none" };
  const abs = cents < 0n ? -cents : cents;
  const limit = toCents(authority);
  const what = `${cents < 0n ? "A credit" : "A charge"} of ${formatMoney(fromCents(abs))}`;
  if (abs <= limit) {
    return { kind: "posts", text: `${what} is within your authority of ${formatMoney(authority)}: `
      + "it posts to the account at once." };
  }
  return { kind: "request", text: `${what} is above your authority of ${formatMoney(authority)}: `
    + "it becomes a request in the supervisor's approvals queue, and nothing posts until "
    + "someone with enough authority approves it." };
}
