import { MantineProvider } from "@mantine/core";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { createMemoryRouter, RouterProvider } from "react-router-dom";

import { resetAuthForTests } from "@/lib/auth";

import { arrangementBody, ArrangementForm } from "./ArrangementForm";

const ACCOUNT = "5b0b7a34-8a7e-4c61-9d43-0d2a5d1f3a11";

function setup(onDone = vi.fn()) {
  const router = createMemoryRouter([{ path: "/", element: (
    <ArrangementForm accountId={ACCOUNT} pastDue="1000.00" today="2026-11-28" defaultMonths={12}
      onDone={onDone} />) }]);
  render(
    <MantineProvider>
      <QueryClientProvider client={new QueryClient()}><RouterProvider router={router} /></QueryClientProvider>
    </MantineProvider>,
  );
  return onDone;
}

describe("making an arrangement", () => {
  let sent: { url: string; body: unknown; key: string | null }[];
  beforeEach(() => {
    sent = [];
    resetAuthForTests({ accessToken: "t", refreshToken: "r".repeat(12), role: "csr2",
      username: "csr2", expiresAt: Date.now() + 60_000 });
    vi.stubGlobal("fetch", vi.fn(async (req: Request) => {
      sent.push({ url: req.url, body: await req.json(), key: req.headers.get("Idempotency-Key") });
      return new Response(JSON.stringify({ id: "a1" }), { status: 201,
        headers: { "Content-Type": "application/json" } });
    }));
  });
  afterEach(() => vi.unstubAllGlobals());

  it("previews the amount past due over twelve months before it is made, then makes it once", async () => {
    const onDone = setup();
    const preview = screen.getByRole("table", { name: "Schedule preview" });
    const rows = within(preview).getAllByRole("row");
    expect(rows).toHaveLength(13); // a header and twelve instalments
    expect(rows[1]).toHaveTextContent("2026-12-28$83.34");
    expect(rows[12]).toHaveTextContent("2027-11-28$83.33");
    const user = userEvent.setup();
    await user.clear(screen.getByRole("textbox", { name: "Months" }));
    await user.type(screen.getByRole("textbox", { name: "Months" }), "4");
    expect(within(screen.getByRole("table", { name: "Schedule preview" })).getAllByRole("row"))
      .toHaveLength(5);
    await user.click(screen.getByRole("button", { name: "Make arrangement" }));
    await waitFor(() => expect(onDone).toHaveBeenCalled());
    expect(sent).toHaveLength(1);
    expect(sent[0]!.url).toContain(`/api/collections/accounts/${ACCOUNT}/arrangements`);
    expect(sent[0]!.body).toEqual({ kind: "amortised", total: null, note: null, months: 4,
      first_due_on: "2026-12-28" });
    expect(sent[0]!.key).toMatch(/.{8,}/);
  });

  it("sends its own dates for an own schedule and one date for a deferral", () => {
    expect(arrangementBody("alternative", "90.00", 12, "", [
      { dueOn: "2026-12-15", amount: " 40.00" }, { dueOn: "2027-01-15", amount: "50.00" }], "", ""))
      .toEqual({ kind: "alternative", total: "90.00", note: null, instalments: [
        { due_on: "2026-12-15", amount: "40.00" }, { due_on: "2027-01-15", amount: "50.00" }] });
    expect(arrangementBody("deferral", "", 12, "", [], "2027-02-01", " after payday "))
      .toEqual({ kind: "deferral", total: null, note: "after payday", defer_to: "2027-02-01" });
  });
});
