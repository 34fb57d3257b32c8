import { MantineProvider } from "@mantine/core";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";

import { resetAuthForTests } from "@/lib/auth";

import type { Order } from "../api/queries";
import { OrderCard } from "./OrderCard";

const ORDER: Order = {
  id: "9d7f0a6e-1111-4a2b-9c3d-123456789abc", number: 41, kind: "re_read", status: "dispatched",
  account_id: null, premise_id: "p", meter_id: "m", scheduled_date: "2026-11-28", technician: "field_tech",
  dispatched_at: null, completed_at: null, read: null, notes: null, reason: "High read", reference: null,
  final_for_sa_ids: [], stop_date: null, address: "17 Magnolia Way", cycle: "C1", route: "C1-R01",
  meter_serial: "MTR-77",
};

function setup(order: Order) {
  render(
    <MantineProvider>
      <QueryClientProvider client={new QueryClient()}><OrderCard order={order} onTyping={() => undefined} /></QueryClientProvider>
    </MantineProvider>,
  );
}

describe("completing an order in the field", () => {
  let sent: { url: string; body: unknown }[];
  beforeEach(() => {
    sent = [];
    resetAuthForTests({ accessToken: "t", refreshToken: "r".repeat(12), role: "field_tech",
      username: "field_tech", expiresAt: Date.now() + 60_000 });
    vi.stubGlobal("fetch", vi.fn(async (req: Request) => {
      sent.push({ url: req.url, body: await req.json() });
      return new Response(JSON.stringify({ ...ORDER, status: "completed" }),
        { headers: { "Content-Type": "application/json" } });
    }));
  });
  afterEach(() => vi.unstubAllGlobals());

  it("wants the read before it sends anything, then completes with it", async () => {
    setup(ORDER);
    const user = userEvent.setup();
    await user.click(screen.getByRole("button", { name: "Complete #41" }));
    await user.click(screen.getByRole("button", { name: "Done" }));
    expect(await screen.findByText("This order needs a meter read")).toBeInTheDocument();
    expect(sent).toHaveLength(0);
    await user.type(screen.getByRole("textbox", { name: /Read of MTR-77/ }), "1234.5{Enter}");
    expect(await screen.findByText("Completed")).toBeInTheDocument();
    expect(sent).toEqual([{ url: expect.stringContaining(`/api/accounts/orders/${ORDER.id}/complete`),
      body: { read: "1234.5", notes: null } }]);
  });

  it("completes a disconnect collections asked for through collections (SB 998 checked there)", async () => {
    const fieldOrder = "0f3c5e1a-2b4d-4e6f-8a9b-0c1d2e3f4a5b";
    setup({ ...ORDER, kind: "disconnect_nonpayment", reference: `collections:${fieldOrder}` });
    const user = userEvent.setup();
    await user.click(screen.getByRole("button", { name: "Complete #41" }));
    expect(screen.queryByRole("textbox", { name: /Read/ })).not.toBeInTheDocument();
    await user.type(screen.getByRole("textbox", { name: "Notes" }), "meter locked");
    await user.click(screen.getByRole("button", { name: "Done" }));
    await waitFor(() => expect(sent).toHaveLength(1));
    expect(sent[0]!.url).toContain(`/api/collections/field/orders/${fieldOrder}/complete`);
    expect(sent[0]!.body).toEqual({ notes: "meter locked" });
  });
});
