/** How a message's status is shown: a word a CSR can read to a caller, and a colour that keeps
 * 4.5:1 contrast as a filled badge (shade 9; gray 7). The colour never carries the meaning alone. */
export interface StatusLook {
  label: string;
  color: string;
  /** What it means, for the badge's title and screen readers. */
  hint: string;
}

export const STATUS: Record<string, StatusLook> = {
  queued: { label: "Waiting", color: "gray.7", hint: "Queued: it goes out at the next send" },
  sending: { label: "Sending", color: "blue.9", hint: "Handed to the sender just now" },
  sent: { label: "Sent", color: "teal.9", hint: "Accepted by the mail server or text provider" },
  delivered: { label: "Delivered", color: "green.9", hint: "The provider reports it delivered" },
  bounced: { label: "Bounced", color: "red.9", hint: "The address refused it: check it with the customer" },
  failed: { label: "Failed", color: "red.9", hint: "Every retry failed" },
  cancelled: { label: "Cancelled", color: "dark.6", hint: "Not sent (the account closed or the address stopped)" },
};

export function statusLook(status: string): StatusLook {
  return STATUS[status] ?? { label: status, color: "gray.7", hint: status };
}

/** Only a message that did not reach the customer is sent again (the service says the same). */
export function mayResend(status: string): boolean {
  return status === "failed" || status === "bounced" || status === "cancelled";
}

export const CHANNEL_LABEL: Record<string, string> = { email: "E-mail", text: "Text" };

export const LANGUAGE_LABEL: Record<string, string> = { en: "English", es: "Spanish (Español)" };

export function languageLabel(code: string): string {
  return LANGUAGE_LABEL[code] ?? code;
}

export const REASON_LABEL: Record<string, string> = {
  hard_bounce: "Mail bounced",
  stop: "Texted STOP",
};

/** A timestamp in the browser's locale, or a dash. */
export function when(at: string | null | undefined): string {
  return at ? new Date(at).toLocaleString() : "—";
}
