import { MantineProvider } from "@mantine/core";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { createMemoryRouter, RouterProvider } from "react-router-dom";

import { resetAuthForTests } from "@/lib/auth";

import { LateCharges, reversalOutcome } from "./LateCharges";

const ACCOUNT = "5b0b7a34-8a7e-4c61-9d43-0d2a5d1f3a11";
const CHARGE = {
  notice_id: "9d1e0d55-0a51-4c55-8f7e-7b1c0a4e2f10", account_id: ACCOUNT,
  bill_id: "1f0c3c1d-55c8-4a3e-b2ea-0d6a1c8e7d22", step: "second_notice", amount: "10.00",
  assessed_on: "2026-10-20", reversal_id: null, reversal_status: null, reversed_amount: null,
};

function setup(canReverse: boolean) {
  const router = createMemoryRouter([{ path: "/", element: <LateCharges accountId={ACCOUNT} canReverse={canReverse} /> }]);
  render(
    <MantineProvider>
      <QueryClientProvider client={new QueryClient()}><RouterProvider router={router} /></QueryClientProvider>
    </MantineProvider>,
  );
}

describe("reversing a late charge", () => {
  let posted: { url: string; body: unknown; key: string | null }[];
  beforeEach(() => {
    posted = [];
    resetAuthForTests({ accessToken: "t", refreshToken: "r".repeat(12), role: "csr1",
      username: "carmen", expiresAt: Date.now() + 60_000 });
    vi.stubGlobal("fetch", vi.fn(async (req: Request) => {
      if (req.method === "GET") {
        return new Response(JSON.stringify([CHARGE]), { headers: { "Content-Type": "application/json" } });
      }
      const body = await req.json();
      posted.push({ url: req.url, body, key: req.headers.get("Idempotency-Key") });
      return new Response(JSON.stringify({ id: "r1", notice_id: CHARGE.notice_id, account_id: ACCOUNT,
        amount: "10.00", reason: body.reason, status: "pending", requested_by: "carmen",
        requested_role: "csr1", requested_on: "2026-11-28", decided_by: null, decided_on: null,
        decision_note: null }), { status: 201, headers: { "Content-Type": "application/json" } });
    }));
  });
  afterEach(() => vi.unstubAllGlobals());

  it("asks for a reason, sends it once with a key, and says plainly when it waits for approval", async () => {
    setup(true);
    const user = userEvent.setup();
    await user.click(await screen.findByRole("button", { name: "Reverse" }));
    await user.type(await screen.findByRole("textbox", { name: /Reason/ }), "first late payment in years{Enter}");
    await waitFor(() => expect(posted).toHaveLength(1));
    expect(await screen.findByText(/supervisor's approvals inbox/)).toBeInTheDocument();
    expect(posted[0]!.url).toContain(`/api/collections/late-charges/${CHARGE.notice_id}/reversals`);
    expect(posted[0]!.body).toEqual({ reason: "first late payment in years" });
    expect(posted[0]!.key).toBeTruthy();
  });

  it("shows no reverse button to a role that may not reverse", async () => {
    setup(false);
    expect(await screen.findByText("second_notice")).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Reverse" })).toBeNull();
  });

  it("words each outcome for the caller", () => {
    expect(reversalOutcome({ status: "reversed", amount: "10.00" })).toMatch(/^Reversed: 10.00/);
    expect(reversalOutcome({ status: "pending", amount: "25.00" })).toMatch(/approvals inbox/);
    expect(reversalOutcome({ status: "rejected", amount: "25.00" })).toMatch(/turned down/);
  });
});
