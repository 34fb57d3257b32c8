import { MantineProvider } from "@mantine/core";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { createMemoryRouter, RouterProvider } from "react-router-dom";

import { resetAuthForTests } from "@/lib/auth";

import type { Account } from "../api/queries";
import { AdjustmentsPanel } from "./AdjustmentsPanel";
import { changed, splitList } from "./CustomerForms";

const ACCOUNT = { id: "a-1", number: "100000017", customer_id: "c-1", status: "active",
  mailing_address: { line1: "5 Cinder Lane", city: "Riverbend", state: "CA",
    postal_code: "93650" }, language: "en", paperless: false, deposit_held: "0",
  opened_on: "2026-03-01" } as Account;

function json(body: unknown, status = 200) {
  return new Response(JSON.stringify(body), { status,
    headers: { "Content-Type": "application/json" } });
}

describe("adjustments with dollar authority", () => {
  const posted: unknown[] = [];
  beforeEach(() => {
    posted.length = 0;
    resetAuthForTests({ accessToken: "t", refreshToken: "r".repeat(12), role: "csr1",
      username: "casey", expiresAt: Date.now() + 60_000 });
    vi.stubGlobal("fetch", vi.fn(async (req: Request) => {
      const path = new URL(req.url, "http://x").pathname;
      if (path === "/api/auth/me") {
        return json({ username: "casey", role: "csr1", name: "Casey", authority: "25.00",
          accounts: [] });
      }
      if (path === "/api/billing/adjustments" && req.method === "POST") {
        const body = await req.json();
        posted.push(body);
        return json({ id: "adj-1", account_id: "a-1", amount: body.amount,
          reason_code: body.reason_code, reason: body.reason, status: "pending",
          requested_by: "casey", requested_role: "csr1", approved_by: null, entry_id: null,
          source: "staff", created_at: "2026-11-28T03:00:00Z", decided_at: null }, 201);
      }
      if (path === "/api/billing/adjustments") return json([]);
      if (path === "/api/accounts/customers/c-1/accounts") return json([ACCOUNT]);
      return json({ title: "Not found", status: 404 }, 404);
    }));
  });
  afterEach(() => vi.unstubAllGlobals());

  it("says before and after submitting that a credit over the authority is a request",
    async () => {
      const router = createMemoryRouter([{ path: "/", element:
        <AdjustmentsPanel account={ACCOUNT} canAdjust canTransfer={false} /> }]);
      render(
        <MantineProvider>
          <QueryClientProvider client={new QueryClient()}>
            <RouterProvider router={router} />
          </QueryClientProvider>
        </MantineProvider>,
      );
      const user = userEvent.setup();
      expect(await screen.findByText(/Your dollar authority/)).toHaveTextContent("$25.00");
      await user.type(screen.getByLabelText(/^Amount/), "40.00");
      expect(screen.getByTestId("adjustment-outcome")).toHaveTextContent(
        "A credit of $40.00 is above your authority of $25.00");
      await user.type(screen.getByLabelText(/^Reason( \*)?$/), "meter misread{Enter}");
      await waitFor(() => expect(posted).toEqual([{ account_id: "a-1", amount: "-40.00",
        reason_code: "courtesy", reason: "meter misread" }]));
      expect(await screen.findByText("Sent for approval")).toBeInTheDocument();
      expect(screen.getByText(/approvals queue/)).toHaveTextContent("not posted");
    }, 20_000);
});

describe("customer edits", () => {
  it("sends only what changed, with phones typed as one list", () => {
    expect(splitList(" (559) 555-0188, 555-0100 ;")).toEqual(["(559) 555-0188", "555-0100"]);
    expect(changed({ name: "A", phones: ["1"], paperless: false },
      { name: "A", phones: ["1", "2"], paperless: true }))
      .toEqual({ phones: ["1", "2"], paperless: true });
  });
});
