/** The billing register as a spreadsheet: one row per bill, amounts as the API gave them. */
import type { RegisterRow } from "./api/runs";

const COLUMNS = ["account_number", "name", "status", "water", "wastewater", "other",
  "total"] as const;

/** Quoted when needed; a text a spreadsheet would run as a formula is defused with a quote. */
function cell(value: string | null | undefined): string {
  let text = value ?? "";
  if (/^[=+@\t\r]|^-(?!\d)/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function registerCsv(rows: RegisterRow[]): string {
  const lines = [COLUMNS.join(",")];
  for (const r of rows) lines.push(COLUMNS.map((c) => cell(r[c])).join(","));
  return `${lines.join("\r\n")}\r\n`;
}
