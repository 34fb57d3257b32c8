/** What became of an imported read file, in one sentence a technician reads at a glance. */
import type { ImportResult } from "./api/upload";

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

export function importSummary(r: ImportResult): { text: string; color: string } {
  if (r.duplicate) {
    return { text: "This file was imported before: nothing changed.", color: "gray" };
  }
  const parts = [`${plural(r.accepted, "read", "reads")} accepted`];
  if (r.rejected) parts.push(`${plural(r.rejected, "line", "lines")} rejected`);
  if (r.exceptions) parts.push(`${plural(r.exceptions, "exception", "exceptions")} to work`);
  if (r.awaiting_copy) {
    parts.push(`${plural(r.awaiting_copy ?? 0, "read waits", "reads wait")} for a meter billing `
      + "has not heard of yet");
  }
  const color = r.rejected ? "red" : r.exceptions ? "yellow" : "green";
  return { text: `${parts.join(", ")}.`, color };
}
