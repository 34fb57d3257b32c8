import { cleanup, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { AccountProvider } from "../app/account";
import i18n from "../i18n";
import { setPortalSession } from "../lib/session";
import { fakeToken, jsonResponse, renderPortal } from "../test/render";
import { ContactPage, changes } from "./ContactPage";
import type { Preference } from "./api";

const PREFS: Preference[] = [
  { kind: "e_bill", label: "E-bill ready", channels: "email", default: "email", may_opt_out: false },
  { kind: "payment_receipt", label: "Payment receipt", channels: "email", default: "email",
    may_opt_out: true },
  { kind: "leak_alert", label: "Possible leak", channels: "both", default: "both", may_opt_out: true },
];

beforeEach(() => setPortalSession({ accessToken: fakeToken(["acct-1"]),
  accounts: ["acct-1"], email: "pat@example.org", expiresAt: Date.now() + 60_000 }));
afterEach(async () => {
  cleanup(); // unmount first: the session and language changes below would re-render it
  vi.restoreAllMocks();
  setPortalSession(null);
  await i18n.changeLanguage("en");
});

function serve() {
  const puts: Request[] = [];
  let current = PREFS.map((p) => ({ ...p }));
  vi.spyOn(globalThis, "fetch").mockImplementation(async (input) => {
    const request = input as Request;
    const url = new URL(request.url, "http://x");
    if (request.method === "PUT") {
      puts.push(request.clone());
      const kind = url.pathname.split("/").pop()!;
      const { channels } = await request.json();
      current = current.map((p) => (p.kind === kind ? { ...p, channels } : p));
      return jsonResponse(current);
    }
    if (url.pathname.endsWith("/preferences")) return jsonResponse(current);
    return jsonResponse([]);
  });
  return puts;
}

const page = () => renderPortal([{ path: "/notifications",
  element: <AccountProvider><ContactPage /></AccountProvider> }], "/notifications");

describe("how we contact you", { timeout: 30_000 }, () => {
  it("sends only the kinds that changed", () => {
    expect(changes(PREFS, { e_bill: "email", payment_receipt: "text", leak_alert: "both" }))
      .toEqual([["payment_receipt", "text"]]);
  });

  it("will not turn off the bill itself, and says why", async () => {
    serve();
    page();
    const bill = await screen.findByRole("radiogroup", { name: "Your bill is ready" });
    expect(within(bill).getByRole("radio", { name: "Off" })).toBeDisabled();
    expect(bill).toHaveAccessibleDescription(/Cannot be turned off: this is your bill/);
    const receipts = screen.getByRole("radiogroup", { name: "Payment receipts" });
    expect(within(receipts).getByRole("radio", { name: "Off" })).toBeEnabled();
  });

  it("saves a change once with an Idempotency-Key when Enter is pressed", async () => {
    const puts = serve();
    page();
    const user = userEvent.setup();
    const receipts = await screen.findByRole("radiogroup", { name: "Payment receipts" });
    await user.click(within(receipts).getByRole("radio", { name: "Text" }));
    await user.keyboard("{Enter}");
    expect(await screen.findByRole("status")).toHaveTextContent("Saved.");
    expect(puts).toHaveLength(1);
    expect(puts[0]!.url).toContain(
      "/api/accounts/notifications/accounts/acct-1/preferences/payment_receipt");
    expect(puts[0]!.headers.get("Idempotency-Key")).toMatch(/:payment_receipt$/);
    expect(await puts[0]!.json()).toEqual({ channels: "text" });
  });

  it("says a message we cannot text goes by e-mail instead", async () => {
    serve();
    page();
    await screen.findByRole("radiogroup", { name: "Payment receipts" });
    expect(screen.getByText(/replied STOP\), we send that message by e-mail instead/))
      .toBeInTheDocument();
  });

  it("speaks Spanish", async () => {
    serve();
    await i18n.changeLanguage("es");
    page();
    const bill = await screen.findByRole("radiogroup", { name: "Su factura está lista" });
    expect(within(bill).getByRole("radio", { name: "Ninguno" })).toBeDisabled();
    expect(bill).toHaveAccessibleDescription(/No se puede desactivar/);
    expect(screen.getByText(/le enviamos ese mensaje por correo electrónico/)).toBeInTheDocument();
    await waitFor(() => expect(document.title).toContain("Cómo nos comunicamos con usted"));
  });
});
