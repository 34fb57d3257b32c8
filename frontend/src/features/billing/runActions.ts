/**
 * Which steps of a bill run a user is offered, mirroring billing's rules (the server stays the
 * authority): technicians and supervisors work a preview and submit it; only a supervisor who
 * neither prepared nor (for an unprepared run) created it approves; a supervisor finalises.
 */
import { can } from "@/lib/permissions";

import type { RunStep } from "./api/runs";

export interface RunState {
  status: string;
  created_by: string;
  prepared_by: string | null;
}

export function runSteps(run: RunState, role: string | null | undefined,
                         username: string | null | undefined): RunStep[] {
  const steps: RunStep[] = [];
  const tech = can(role, "runs.work");
  const approver = can(role, "runs.approve");
  switch (run.status) {
    case "preview":
      if (tech) steps.push("recalculate", "prepare", "discard");
      break;
    case "prepared":
      if (approver && !approvalRefused(run, username)) steps.push("approve");
      if (tech) steps.push("reopen", "discard");
      break;
    case "approved":
      if (approver) steps.push("finalise");
      break;
    default:
      break;
  }
  return steps;
}

/** Why this user may not approve the run (null: may), in the words billing uses. */
export function approvalRefused(run: RunState, username: string | null | undefined):
    string | null {
  if (!username) return "not logged in";
  if (run.prepared_by === username) return "you prepared this run: another supervisor approves it";
  if (run.prepared_by === null && run.created_by === username) {
    return "you created this run: another supervisor approves it";
  }
  return null;
}

/** Bills may be held out of a run only while it is in preview. */
export function canHold(run: RunState, role: string | null | undefined): boolean {
  return run.status === "preview" && can(role, "runs.work");
}

export const STEP_LABELS: Record<RunStep, string> = {
  recalculate: "Recalculate",
  prepare: "Submit for approval",
  reopen: "Send back to preview",
  approve: "Approve run",
  finalise: "Finalise run",
  discard: "Discard run",
};

/** Filled badges in the darkest shades: white text on them passes WCAG AA contrast. */
export const STATUS_COLORS: Record<string, string> = {
  preview: "blue.9",
  prepared: "grape.9",
  approved: "teal.9",
  finalised: "dark.6",
  discarded: "gray.7",
};

/** Review flags: outlined in a dark red that reads on white. */
export const FLAG_COLOR = "red.9";

/** A review flag's code in a clerk's words. */
export function flagLabel(flag: string): string {
  const words: Record<string, string> = {
    missing_read: "missing read",
    zero_use: "zero use",
    negative: "credit bill",
    over_threshold: "total over the limit",
    large_change: "big change from last bill",
    awaiting_copy: "waiting for account data",
  };
  return words[flag] ?? flag.replace(/_/g, " ");
}
