import { MantineProvider } from "@mantine/core";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { createMemoryRouter, RouterProvider } from "react-router-dom";

import { resetAuthForTests } from "@/lib/auth";

import type { CallListItem } from "../api/queries";
import { callBody, LogCallForm } from "./LogCallForm";

const ROW: CallListItem = {
  account_id: "5b0b7a34-8a7e-4c61-9d43-0d2a5d1f3a11", number: "100027457", name: "Maria Lopez",
  language: "es", phones: ["(559) 555-0142"], cycle: "C1", past_due: "84.20", balance: "126.40",
  oldest_due_date: "2026-09-21", days_past_due: 68, last_outcome: null, last_called_at: null,
  last_called_by: null, promise_id: null, promised_on: null, promise_amount: null, arrangement_id: null,
};

function setup(onDone = vi.fn()) {
  const router = createMemoryRouter([{ path: "/", element: <LogCallForm row={ROW} onDone={onDone} /> }]);
  render(
    <MantineProvider>
      <QueryClientProvider client={new QueryClient()}><RouterProvider router={router} /></QueryClientProvider>
    </MantineProvider>,
  );
  return onDone;
}

describe("logging a call", () => {
  let sent: { url: string; body: unknown; key: string | null }[];
  beforeEach(() => {
    sent = [];
    resetAuthForTests({ accessToken: "t", refreshToken: "r".repeat(12), role: "csr2",
      username: "csr2", expiresAt: Date.now() + 60_000 });
    vi.stubGlobal("fetch", vi.fn(async (req: Request) => {
      const body = await req.json();
      sent.push({ url: req.url, body, key: req.headers.get("Idempotency-Key") });
      return new Response(JSON.stringify({ id: "c1", account_id: ROW.account_id, outcome: body.outcome,
        note: body.note, phone: body.phone, called_on: "2026-11-28", called_by: "csr2",
        called_role: "csr2", called_at: "2026-11-28T10:00:00Z",
        promise: { id: "p1", account_id: ROW.account_id, promised_on: "2026-12-05", amount: "84.20",
          status: "open", made_on: "2026-11-28", closed_on: null, cancel_reason: null,
          created_by: "csr2", changed_by: null } }),
      { status: 201, headers: { "Content-Type": "application/json" } });
    }));
  });
  afterEach(() => vi.unstubAllGlobals());

  it("records a promise to pay with Enter, once, with an Idempotency-Key", async () => {
    const onDone = setup();
    const user = userEvent.setup();
    await user.type(screen.getByLabelText(/Promised on/), "2026-12-05");
    const amount = screen.getByRole("textbox", { name: /Amount/ });
    expect(amount).toHaveValue("84.20"); // the amount past due, to start with
    await user.type(amount, "{Enter}");
    await waitFor(() => expect(onDone).toHaveBeenCalled());
    expect(sent).toHaveLength(1);
    expect(sent[0]!.url).toContain(`/api/collections/accounts/${ROW.account_id}/calls`);
    expect(sent[0]!.body).toEqual({ outcome: "promise_made", note: "", phone: "(559) 555-0142",
      promise: { promised_on: "2026-12-05", amount: "84.20" } });
    expect(sent[0]!.key).toMatch(/.{8,}/);
  });

  it("sends a promise only with a promise made", () => {
    expect(callBody("no_answer", " rang 8 times ", null, "2026-12-05", "10.00")).toEqual(
      { outcome: "no_answer", note: "rang 8 times", phone: null });
    expect(callBody("promise_made", "", "555", "2026-12-05", " 10.00 ").promise).toEqual(
      { promised_on: "2026-12-05", amount: "10.00" });
  });
});
