import { MantineProvider } from "@mantine/core";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { fireEvent, render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { createMemoryRouter, RouterProvider } from "react-router-dom";

import { resetAuthForTests } from "@/lib/auth";

import { StartServiceForm } from "./StartServiceForm";

const VACANT = { entity: "premise", id: "p-9", account_number: null,
  title: "88 Quartz Hollow Rd Riverbend CA 93651", subtitle: "APN 410-388-08", status: "vacant",
  score: 1 };
const STARTED = {
  customer: { name: "Thaddeus Villanueva" }, account: { number: "100000017" },
  service_agreements: [{ service: "water", rate_class: "RES-SF", start_date: "2026-12-01" }],
  deposit: { required: true, amount: "100.00", reason: "policy deposit" },
  service_order: { number: 7, scheduled_date: "2026-12-01", address: "88 Quartz Hollow Rd" },
  welcome_letter_id: "l-1",
};

function json(body: unknown, status = 200) {
  return new Response(JSON.stringify(body), { status,
    headers: { "Content-Type": "application/json" } });
}

function setup() {
  const router = createMemoryRouter([{ path: "/", element:
    <StartServiceForm customerId="c-1" accountId="a-1" /> }]);
  render(
    <MantineProvider>
      <QueryClientProvider client={new QueryClient()}>
        <RouterProvider router={router} />
      </QueryClientProvider>
    </MantineProvider>,
  );
}

describe("start service", () => {
  const posted: { body: unknown; key: string | null }[] = [];
  beforeEach(() => {
    posted.length = 0;
    resetAuthForTests({ accessToken: "t", refreshToken: "r".repeat(12), role: "csr1",
      username: "csr1", expiresAt: Date.now() + 60_000 });
    vi.stubGlobal("fetch", vi.fn(async (req: Request) => {
      const url = new URL(req.url, "http://x");
      if (url.pathname === "/api/accounts/search") {
        expect(url.searchParams.get("entity")).toBe("premise");
        return json([VACANT]);
      }
      if (url.pathname === "/api/accounts/agreements/start") {
        posted.push({ body: await req.json(), key: req.headers.get("Idempotency-Key") });
        return json(STARTED, 201);
      }
      return json({ title: "Not found", status: 404 }, 404);
    }));
  });
  afterEach(() => vi.unstubAllGlobals());

  it("picks a vacant premise with Enter, submits with Enter, and reads back the result",
    async () => {
      setup();
      const user = userEvent.setup();
      expect(screen.getByRole("button", { name: "Start service" })).toBeDisabled();
      await user.type(screen.getByRole("textbox", { name: /^Premise/ }), "quartz");
      expect(await screen.findByText("vacant")).toBeInTheDocument();
      await user.keyboard("{Enter}");
      expect(await screen.findByTestId("picked-premise")).toHaveTextContent("vacant");
      const date = screen.getByLabelText(/^Start date/);
      fireEvent.change(date, { target: { value: "2026-12-01" } });
      await user.type(date, "{Enter}");

      await waitFor(() => expect(posted).toHaveLength(1));
      expect(posted[0]!.body).toEqual({ start_date: "2026-12-01", premise_id: "p-9",
        customer_id: "c-1", account_id: "a-1",
        deposit: { is_owner: false, letter_of_credit: false, waive_reason: null } });
      expect(posted[0]!.key).toMatch(/.{8,}/);
      expect(await screen.findByText(/Turn-on order #7 for 2026-12-01/)).toBeInTheDocument();
      expect(screen.getByText(/required, /)).toHaveTextContent("$100.00");
    }, 20_000);

  it("opens a new account for the same customer when asked", async () => {
    setup();
    const user = userEvent.setup();
    await user.type(screen.getByRole("textbox", { name: /^Premise/ }), "quartz");
    await screen.findByText("vacant");
    await user.keyboard("{Enter}");
    await user.click(screen.getByLabelText("Open a new account for this customer"));
    await user.click(screen.getByRole("button", { name: "Start service" }));
    await waitFor(() => expect(posted).toHaveLength(1));
    expect(posted[0]!.body).not.toHaveProperty("account_id");
    expect(posted[0]!.body).toHaveProperty("customer_id", "c-1");
  }, 20_000);
});
