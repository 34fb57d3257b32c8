/** The preview form as typed, and the run request it becomes. */
import type { RunIn } from "./api/runs";

export interface RunForm {
  cycle: string;
  period_start: string;
  period_end: string;
  bill_date: string;
  messages: string;
}

/** Empty lines dropped, an empty bill date left to the server (today). */
export function runRequest(form: RunForm): RunIn {
  const messages = form.messages.split("\n").map((m) => m.trim()).filter(Boolean);
  return {
    cycle: form.cycle.trim(),
    period_start: form.period_start,
    period_end: form.period_end,
    bill_date: form.bill_date || null,
    messages,
  };
}
