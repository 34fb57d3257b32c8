import { MantineProvider } from "@mantine/core";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";

import { resetAuthForTests } from "@/lib/auth";

import { CheckRequests } from "./CheckRequests";

const REQUEST = { application_id: "a1", account_number: "100027457", payee: "Maria Delgado",
  mailing_address: "120 Alder St Fresno CA 93701", programme: "washer", amount: "150.00",
  approved_on: "2026-03-05", approved_by: "sup", check_batch: null };

const posts: { path: string; key: string | null }[] = [];
let handed = false;

function json(body: unknown, status = 200) {
  return new Response(JSON.stringify(body), { status,
    headers: { "Content-Type": "application/json" } });
}

function setup(role: string) {
  resetAuthForTests({ accessToken: "t", refreshToken: "r".repeat(12), role,
    username: `${role}_user`, expiresAt: Date.now() + 60_000 });
  render(
    <MantineProvider>
      <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
        <CheckRequests />
      </QueryClientProvider>
    </MantineProvider>,
  );
}

describe("check requests for accounts payable", () => {
  beforeEach(() => {
    posts.length = 0;
    handed = false;
    vi.stubGlobal("fetch", vi.fn(async (req: Request) => {
      const path = new URL(req.url, "http://x").pathname;
      if (req.method === "POST") {
        posts.push({ path, key: req.headers.get("Idempotency-Key") });
        handed = true;
        return json({ batch: "b1", count: 1, total: "150.00",
          requests: [{ ...REQUEST, check_batch: "b1" }] }, 201);
      }
      return json(handed ? { batch: null, count: 0, total: "0.00", requests: [] }
        : { batch: null, count: 1, total: "150.00", requests: [REQUEST] });
    }));
  });
  afterEach(() => vi.unstubAllGlobals());

  it("lets a supervisor hand the waiting checks over once and offers the batch's CSV",
    async () => {
      setup("supervisor");
      const user = userEvent.setup();
      const table = await screen.findByRole("table", { name: "Check requests waiting" });
      expect(within(table).getByText("Maria Delgado")).toBeInTheDocument();
      await user.click(screen.getByRole("button", { name: "Hand to accounts payable" }));
      expect(await screen.findByText("1 check, $150.00.")).toBeInTheDocument();
      expect(screen.getByRole("button", { name: "Download CSV" })).toBeInTheDocument();
      expect(posts).toEqual([{ path: "/api/accounts/rebates/check-requests/batches",
        key: expect.any(String) }]);
      expect(await screen.findByRole("button", { name: "Hand to accounts payable" }))
        .toBeDisabled();
    }, 20_000);

  it("shows a CSR the list without the hand-over", async () => {
    setup("csr1");
    expect(await screen.findByText("Maria Delgado")).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Hand to accounts payable" }))
      .not.toBeInTheDocument();
  }, 20_000);
});
