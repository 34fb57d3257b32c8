import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { resetAuthForTests } from "@/lib/auth";

import type { Message } from "../api/queries";
import { AccountMessages } from "./AccountMessages";
import { fakeApi, json, renderAt } from "./testing";

const base: Message = {
  id: "m-1", account_id: "a-1", kind: "e_bill", label: "E-bill ready", channel: "email",
  language: "es", recipient: "m***@example.org", status: "bounced", attempts: 1,
  subject: "Su factura", body_text: "…", last_error: "5.1.1 user unknown",
  queued_at: "2026-11-27T10:00:00Z", not_before: "2026-11-27T10:00:00Z",
  sent_at: "2026-11-27T10:00:05Z", delivered_at: null, failed_at: "2026-11-27T10:03:00Z",
};
const delivered: Message = { ...base, id: "m-2", kind: "payment_receipt", label: "Payment receipt",
  channel: "text", recipient: "***0188", status: "delivered", last_error: null,
  delivered_at: "2026-11-27T11:00:00Z" };

const PREFS = [
  { kind: "e_bill", label: "E-bill ready", channels: "email", default: "email", may_opt_out: false },
  { kind: "payment_receipt", label: "Payment receipt", channels: "email", default: "email",
    may_opt_out: true },
];

function login(role: string) {
  resetAuthForTests({ accessToken: "t", refreshToken: "r".repeat(12), role,
    username: "casey", expiresAt: Date.now() + 60_000 });
}

describe("an account's messages", { timeout: 20_000 }, () => {
  let status = "bounced";
  let seen: Request[] = [];
  let prefs = PREFS;
  beforeEach(() => {
    status = "bounced";
    prefs = PREFS;
    seen = fakeApi((req, path) => {
      if (path === "/api/accounts/notifications/accounts/a-1/messages") {
        return json([{ ...base, status }, delivered]);
      }
      if (path === "/api/accounts/notifications/messages/m-1/resend" && req.method === "POST") {
        status = "queued";
        return json({ ...base, status: "queued" });
      }
      if (path === "/api/mail/dev-inbox") return json([]);
      if (path.endsWith("/preferences")) return json(prefs);
      if (path.includes("/preferences/") && req.method === "PUT") {
        const kind = path.split("/").pop();
        return req.json().then((b: { channels: string }) => {
          prefs = prefs.map((p) => (p.kind === kind ? { ...p, channels: b.channels } : p));
          return json(prefs);
        });
      }
      return undefined;
    });
  });
  afterEach(() => vi.unstubAllGlobals());

  it("shows each message's status in words, its attempts and last error", async () => {
    login("csr1");
    renderAt("/", "/", <AccountMessages accountId="a-1" />);
    const table = await screen.findByRole("table", { name: "Messages to the customer" });
    const rows = within(table).getAllByRole("row");
    expect(rows[1]).toHaveTextContent("E-bill ready");
    expect(rows[1]).toHaveTextContent("m***@example.org");
    expect(rows[1]).toHaveTextContent("Bounced");
    expect(rows[1]).toHaveTextContent("5.1.1 user unknown");
    expect(rows[2]).toHaveTextContent("Delivered");
    expect(rows[2]).toHaveTextContent("Text");
    // Only the message that never arrived is offered again.
    expect(within(rows[2]!).queryByRole("button")).toBeNull();
    expect(await screen.findByRole("link", { name: "Development inbox" }))
      .toHaveAttribute("href", "/notifications/inbox");
  });

  it("resends a bounced message once, with an Idempotency-Key", async () => {
    login("csr1");
    renderAt("/", "/", <AccountMessages accountId="a-1" />);
    const user = userEvent.setup();
    await user.click(await screen.findByRole("button", { name: "Resend E-bill ready by E-mail" }));
    await waitFor(() => expect(screen.getAllByRole("row")[1]).toHaveTextContent("Waiting"));
    const posts = seen.filter((r) => r.method === "POST");
    expect(posts).toHaveLength(1);
    expect(posts[0]!.url).toContain("/api/accounts/notifications/messages/m-1/resend");
    expect(posts[0]!.headers.get("Idempotency-Key")).toMatch(/\w{8,}/);
  });

  it("offers no resend to a billing technician (the server refuses it too)", async () => {
    login("billing_tech");
    renderAt("/", "/", <AccountMessages accountId="a-1" />);
    await screen.findByRole("table", { name: "Messages to the customer" });
    expect(screen.queryByRole("button", { name: /Resend/ })).toBeNull();
  });

  it("lets a CSR change how the customer hears of a kind, never off for the bill", async () => {
    login("csr2");
    renderAt("/", "/", <AccountMessages accountId="a-1" />);
    const user = userEvent.setup();
    const bill = await screen.findByRole("combobox", { name: "E-bill ready: send by" });
    expect(within(bill).queryByRole("option", { name: "Off" })).toBeNull();
    const receipts = screen.getByRole("combobox", { name: "Payment receipt: send by" });
    await user.selectOptions(receipts, "none");
    await waitFor(() => expect(screen.getByRole("combobox", { name: "Payment receipt: send by" }))
      .toHaveValue("none"));
    const [put] = seen.filter((r) => r.method === "PUT");
    expect(put!.url).toContain("/api/accounts/notifications/accounts/a-1/preferences/payment_receipt");
    expect(put!.headers.get("Idempotency-Key")).toBeTruthy();
    expect(await put!.json()).toEqual({ channels: "none" });
  });
});
