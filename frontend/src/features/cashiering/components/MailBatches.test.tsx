import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";

import { resetAuthForTests } from "@/lib/auth";
import { renderWithProviders } from "@/test/harness";

import { MailBatches } from "./MailBatches";

const BATCH = { id: "b1", keyed_by: "csr_one", received_on: "2026-02-12", control_total: "80.00",
  control_count: 2, status: "open", created_at: "2026-02-12T09:00:00Z", posted_at: null,
  posted_by: null, keyed_total: "30.00", keyed_count: 1, payments: [] as unknown[] };

let batch = { ...BATCH };
const posts: { path: string; key: string | null; body: unknown }[] = [];

function json(body: unknown, status = 200) {
  return new Response(JSON.stringify(body), { status,
    headers: { "Content-Type": "application/json" } });
}

function setup() {
  renderWithProviders(<MailBatches />);
}

describe("mail batches", () => {
  beforeEach(() => {
    batch = { ...BATCH };
    posts.length = 0;
    resetAuthForTests({ accessToken: "t", refreshToken: "r".repeat(12), role: "csr1",
      username: "csr_one", expiresAt: Date.now() + 60_000 });
    vi.stubGlobal("fetch", vi.fn(async (req: Request) => {
      const path = new URL(req.url, "http://x").pathname;
      if (req.method === "GET") return json(path === "/api/payments/batches" ? [batch] : batch);
      const text = await req.text();
      posts.push({ path, key: req.headers.get("Idempotency-Key"),
        body: text ? JSON.parse(text) : null });
      if (path.endsWith("/payments")) {
        batch = { ...batch, keyed_total: "80.00", keyed_count: 2 };
        return json({ id: "p2" }, 201);
      }
      return json(batch);
    }));
  });
  afterEach(() => vi.unstubAllGlobals());

  it("keys a check with Enter and posts only once the tape balances", async () => {
    setup();
    const user = userEvent.setup();
    await user.click(await screen.findByRole("button", { name: /^Open batch of 2026-02-12/ }));
    const post = await screen.findByRole("button", { name: "Post batch" });
    expect(post).toBeDisabled();
    expect(screen.getByTestId("batch-difference")).toHaveTextContent("-$50.00 and -1 check(s)");

    const form = screen.getByRole("form", { name: "Key a check" });
    await user.type(within(form).getByRole("textbox", { name: /^Account number/ }), "100027457");
    await user.type(within(form).getByRole("textbox", { name: /^Amount/ }), "50.00{Enter}");
    await waitFor(() => expect(posts).toHaveLength(1));
    expect(posts[0]!.path).toBe("/api/payments/batches/b1/payments");
    expect(posts[0]!.key).toBeTruthy();
    expect(posts[0]!.body).toMatchObject({ account_number: "100027457", amount: "50.00",
      tender: "check" });

    await waitFor(() => expect(screen.getByRole("button", { name: "Post batch" })).toBeEnabled());
    expect(screen.getByTestId("batch-difference")).toHaveTextContent("Balanced");
  }, 20_000);
});
