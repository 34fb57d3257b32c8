/**
 * The approvals inbox's one shape for everything that waits for a supervisor, whichever service
 * keeps it, and the two rules the inbox applies on top of the services' own: a request of yours
 * (or work you did: a run you prepared, a drawer you worked) is never shown as approvable, and an
 * amount above your dollar authority says so before you try. The services refuse both anyway.
 */
import { toCents } from "@/lib/money";

import type {
  Adjustment, Deposit, Drawer, FieldOrder, NoticeBatch, Rebate, Refund, Reversal, Run, Transfer,
  WriteOff,
} from "./api/types";

export type Kind =
  | "bill_run" | "adjustment" | "refund" | "notice_batch" | "door_tag" | "drawer" | "deposit"
  | "write_off" | "late_charge_reversal" | "transfer" | "rebate";

/** What a note on the decision must be: none asked, may be given, must be given. */
export type NoteRule = "none" | "optional" | "required";

export interface KindInfo {
  label: string;
  approve: string;
  /** The verb of turning it down; null where the service has none (door tags, sign-offs). */
  reject: string | null;
  rejectNote: NoteRule;
  /** Whether the service weighs the amount against the approver's dollar authority. */
  authority: boolean;
}

export const KINDS: Record<Kind, KindInfo> = {
  bill_run: { label: "Bill run", approve: "Approve", reject: "Send back", rejectNote: "none",
    authority: false },
  adjustment: { label: "Adjustment", approve: "Approve", reject: "Reject",
    rejectNote: "optional", authority: true },
  refund: { label: "Refund", approve: "Approve", reject: "Reject", rejectNote: "required",
    authority: true },
  notice_batch: { label: "Notice print batch", approve: "Approve", reject: "Reject",
    rejectNote: "required", authority: false },
  door_tag: { label: "Door tag", approve: "Approve", reject: null, rejectNote: "none",
    authority: false },
  drawer: { label: "Drawer", approve: "Sign off", reject: null, rejectNote: "none",
    authority: false },
  deposit: { label: "Bank deposit", approve: "Sign off", reject: null, rejectNote: "none",
    authority: false },
  write_off: { label: "Write-off", approve: "Approve", reject: "Reject", rejectNote: "required",
    authority: true },
  late_charge_reversal: { label: "Late-charge reversal", approve: "Approve", reject: "Reject",
    rejectNote: "optional", authority: true },
  transfer: { label: "Payment transfer", approve: "Approve", reject: "Reject",
    rejectNote: "required", authority: true },
  // Accounts' rebates: approval within dollar authority, a denial gives the letter's reason.
  rebate: { label: "Rebate", approve: "Approve", reject: "Deny", rejectNote: "required",
    authority: true },
};

export const KIND_ORDER: Kind[] = [
  "bill_run", "adjustment", "refund", "transfer", "late_charge_reversal", "write_off", "rebate",
  "notice_batch", "door_tag", "drawer", "deposit",
];

export interface PendingItem {
  kind: Kind;
  id: string;
  /** One line saying what it is ("Cycle C1, 2026-01-01 to 2026-01-31, 412 bills"). */
  what: string;
  amount: string | null;
  requestedBy: string;
  /** An ISO date or instant. */
  requestedAt: string | null;
  why: string | null;
  /** Everyone whose own work this is: none of them may approve it. */
  parties: string[];
  /** A note with the approval: required for a drawer that is over or short. */
  approveNote: NoteRule;
  accountId: string | null;
  accountNumber: string | null;
}

const base = { why: null, approveNote: "none" as NoteRule, accountId: null, accountNumber: null };

export function fromRun(r: Run): PendingItem {
  // Billing's rule: the preparer never approves; the creator neither when nobody prepared it.
  const parties = r.prepared_by ? [r.prepared_by] : [r.created_by];
  return { ...base, kind: "bill_run", id: r.id, amount: r.total,
    what: `${r.kind === "closing" ? "Final bill" : `Cycle ${r.cycle}`}, ${r.period_start} to `
      + `${r.period_end}: ${r.bills} bill(s), ${r.flagged} flagged, ${r.held} held`,
    requestedBy: r.prepared_by ?? r.created_by, requestedAt: r.bill_date, parties,
    accountId: r.account_id ?? null };
}

export function fromAdjustment(a: Adjustment): PendingItem {
  return { ...base, kind: "adjustment", id: a.id, amount: a.amount,
    what: `${a.reason_code.replace(/_/g, " ")} (${a.requested_role})`, why: a.reason,
    requestedBy: a.requested_by, requestedAt: a.created_at, parties: [a.requested_by],
    accountId: a.account_id };
}

export function fromRefund(r: Refund): PendingItem {
  return { ...base, kind: "refund", id: r.id, amount: r.amount,
    what: `Refund of ${r.source.replace(/_/g, " ")} (${r.requested_role})`, why: r.reason,
    requestedBy: r.requested_by, requestedAt: r.created_at, parties: [r.requested_by],
    accountId: r.account_id, accountNumber: r.account_number };
}

export function fromTransfer(t: Transfer): PendingItem {
  return { ...base, kind: "transfer", id: t.id, amount: t.amount,
    what: `Receipt ${t.receipt_number} from ${t.from_account_number} to ${t.to_account_number}`,
    why: t.reason, requestedBy: t.requested_by, requestedAt: t.created_at,
    parties: [t.requested_by], accountId: t.from_account_id,
    accountNumber: t.from_account_number };
}

export function fromReversal(r: Reversal): PendingItem {
  return { ...base, kind: "late_charge_reversal", id: r.id, amount: r.amount,
    what: `Late charge of notice ${r.notice_id.slice(0, 8)} (${r.requested_role})`,
    why: r.reason, requestedBy: r.requested_by, requestedAt: r.requested_on,
    parties: [r.requested_by], accountId: r.account_id };
}

/** A rebate application waiting for approval: nobody approves their own intake. */
export function fromRebate(r: Rebate): PendingItem {
  const paid = r.payment === "check" ? "by check" : "as a bill credit";
  return { ...base, kind: "rebate", id: r.id, amount: r.amount,
    what: `${r.programme.replace(/_/g, " ")} rebate, ${Number(r.units)} unit(s) at `
      + `${r.premise_address} for ${r.customer_name}, paid ${paid}`, why: r.note,
    requestedBy: r.requested_by, requestedAt: r.received_on, parties: [r.requested_by],
    approveNote: "optional", accountId: r.account_id, accountNumber: r.account_number };
}

export function fromWriteOff(w: WriteOff): PendingItem {
  return { ...base, kind: "write_off", id: w.write_off_id, amount: w.amount,
    what: "Write-off of a closed account's balance", why: w.reason,
    requestedBy: w.requested_by, requestedAt: w.requested_on, parties: [w.requested_by],
    accountId: w.account_id };
}

export function fromNoticeBatch(b: NoticeBatch): PendingItem {
  const kinds = (b.by_kind ?? []).map((k) => `${k.notices} ${k.kind.replace(/_/g, " ")}`);
  return { ...base, kind: "notice_batch", id: b.id, amount: null,
    what: `${b.notices} notice(s) for ${b.batch_on}${kinds.length ? `: ${kinds.join(", ")}` : ""}`,
    requestedBy: b.created_by, requestedAt: b.batch_on, parties: [b.created_by] };
}

export function fromDoorTag(o: FieldOrder): PendingItem {
  return { ...base, kind: "door_tag", id: o.id, amount: o.fee ?? null,
    what: `Door tag for ${o.scheduled_on}${o.disconnect_on ? `, disconnect on ${o.disconnect_on}`
      : ""}`, why: o.notes ?? null,
    requestedBy: o.requested_by, requestedAt: o.created_on, parties: [o.requested_by],
    accountId: o.account_id };
}

export function fromDrawer(d: Drawer): PendingItem {
  const overShort = d.over_short ?? "0";
  const off = toCents(overShort) !== 0n;
  return { ...base, kind: "drawer", id: d.id, amount: d.counted_cash ?? null,
    what: `Drawer of ${d.cashier} opened ${d.opened_on}: counted cash, over/short ${overShort}`,
    why: off ? "Over or short: the sign-off needs your reason" : null,
    requestedBy: d.closed_by ?? d.cashier, requestedAt: d.closed_at ?? d.opened_at,
    parties: [d.cashier, ...(d.closed_by ? [d.closed_by] : [])],
    approveNote: off ? "required" : "optional" };
}

export function fromDeposit(d: Deposit): PendingItem {
  return { ...base, kind: "deposit", id: d.id, amount: d.total,
    what: `Deposit ${d.number} of ${d.prepared_on}: ${d.drawers.length} drawer(s), `
      + `${d.batches.length} batch(es), ${d.checks_count} check(s)`, why: d.note ?? null,
    requestedBy: d.prepared_by, requestedAt: d.prepared_at,
    parties: [d.prepared_by, ...d.drawers.map((s) => s.worked_by)], approveNote: "optional" };
}

/** Whether this is the user's own request or work (never approvable by them). */
export function isOwn(item: PendingItem, username: string): boolean {
  return item.parties.includes(username);
}

/** Whether the amount is beyond what `authority` (a decimal string) lets one approve. */
export function aboveAuthority(item: PendingItem, authority: string | null | undefined): boolean {
  if (!KINDS[item.kind].authority || item.amount === null || !authority) return false;
  const cents = toCents(item.amount);
  return (cents < 0n ? -cents : cents) > toCents(authority);
}

/** The inbox in the order a supervisor works it; own requests apart, listed but not actionable. */
export function splitInbox(items: PendingItem[], username: string): {
  approvable: PendingItem[]; own: PendingItem[];
} {
  const order = (i: PendingItem) => KIND_ORDER.indexOf(i.kind);
  const sorted = [...items].sort((a, b) => order(a) - order(b)
    || (a.requestedAt ?? "").localeCompare(b.requestedAt ?? ""));
  return {
    approvable: sorted.filter((i) => !isOwn(i, username)),
    own: sorted.filter((i) => isOwn(i, username)),
  };
}
