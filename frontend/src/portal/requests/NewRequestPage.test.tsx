import { cleanup, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { AccountProvider } from "../app/account";
import { setPortalSession } from "../lib/session";
import { fakeToken, jsonResponse, renderPortal } from "../test/render";
import { NewRequestPage, needs } from "./NewRequestPage";

beforeEach(() => setPortalSession({ accessToken: fakeToken(["acct-1"]),
  accounts: ["acct-1"], email: "pat@example.org", expiresAt: Date.now() + 60_000 }));
afterEach(() => {
  cleanup(); // unmount first: the session and language changes below would re-render it
  vi.restoreAllMocks();
  setPortalSession(null);
});

describe("service requests", { timeout: 30_000 }, () => {
  it("ask each kind for what it needs", () => {
    expect(needs("start")).toEqual({ date: true, address: true, bill: false });
    expect(needs("stop")).toEqual({ date: true, address: false, bill: false });
    expect(needs("high_bill_review")).toEqual({ date: false, address: false, bill: true });
    expect(needs("contact")).toEqual({ date: false, address: false, bill: false });
  });

  it("file a message once and confirm it with its reference and status", async () => {
    const posted: Request[] = [];
    vi.spyOn(globalThis, "fetch").mockImplementation(async (input) => {
      const request = input as Request;
      if (request.method === "GET") return jsonResponse([]);
      posted.push(request.clone());
      return jsonResponse({ id: "5e1f9c2a-0000-4000-8000-000000000000", account_id: "acct-1",
        kind: "contact", status: "received", preferred_date: null, address: null, phone: null,
        message: "Hello", bill_id: null, appeal_id: null, requested_by: "c", worked_by: null,
        resolution: null, created_at: "2026-02-01T10:00:00Z", updated_at: "2026-02-01T10:00:00Z" }, 201);
    });
    renderPortal([{ path: "/requests/new",
      element: <AccountProvider><NewRequestPage /></AccountProvider> }], "/requests/new?kind=contact");
    await userEvent.type(screen.getByLabelText(/^Message/), "Hello");
    await userEvent.click(screen.getByRole("button", { name: "Send request" }));
    const status = await screen.findByRole("status");
    expect(status).toHaveTextContent("Request received");
    expect(status).toHaveTextContent("5E1F9C2A");
    expect(status).toHaveTextContent("Received");
    await waitFor(() => expect(posted).toHaveLength(1));
    expect(posted[0]!.url).toContain("/api/accounts/requests/accounts/acct-1");
    expect(posted[0]!.headers.get("Idempotency-Key")).toBeTruthy();
    expect(await posted[0]!.json()).toMatchObject({ kind: "contact", message: "Hello",
      preferred_date: null, address: null, bill_id: null });
  });
});
