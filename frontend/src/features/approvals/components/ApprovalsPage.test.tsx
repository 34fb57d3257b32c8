import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";

import { resetAuthForTests } from "@/lib/auth";
import { renderWithProviders } from "@/test/harness";

import { ApprovalsPage } from "./ApprovalsPage";

const ADJ = { id: "11111111-1111-1111-1111-111111111111", account_id: "acc-1", amount: "-60.00",
  reason_code: "leak", reason: "Leak under the slab", status: "pending", requested_by: "csr_one",
  requested_role: "csr1", approved_by: null, entry_id: null, source: "staff",
  created_at: "2026-02-01T10:00:00Z", decided_at: null };
const OWN = { ...ADJ, id: "22222222-2222-2222-2222-222222222222", requested_by: "sup",
  reason: "My own courtesy credit" };
const DRAWER = { id: "33333333-3333-3333-3333-333333333333", cashier: "cash1", status: "closed",
  opened_at: "2026-02-01T08:00:00Z", opened_on: "2026-02-01", float_amount: "100.00",
  closed_at: "2026-02-01T17:00:00Z", closed_by: "cash1", counted: {}, counted_cash: "99.75",
  expected_cash: "100.00", over_short: "-0.25", signed_off_by: null, signed_off_at: null,
  sign_off_note: null, taken: [] };

const REBATE = { id: "44444444-4444-4444-4444-444444444444", account_id: "acc-2",
  account_number: "100031337", customer_name: "Rosa Delgado", premise_id: "p-2",
  premise_address: "12 Alder Ct", programme: "toilet", units: "2", amount: "200.00",
  payment: "credit", status: "pending", received_on: "2026-02-03", installed_on: "2026-01-20",
  note: "Two low-flow toilets", requested_by: "csr_one", decided_by: null, decided_on: null,
  reason: null, letter_id: null, form_ids: [], check_batch: null,
  created_at: "2026-02-03T09:00:00Z" };
const OWN_REBATE = { ...REBATE, id: "55555555-5555-5555-5555-555555555555",
  requested_by: "sup", note: "Washer rebate I took in" };

const calls: { method: string; path: string; key: string | null; body: unknown }[] = [];

function json(body: unknown, status = 200) {
  return new Response(JSON.stringify(body), { status,
    headers: { "Content-Type": "application/json" } });
}

function answer(method: string, path: string): Response {
  if (method === "GET") {
    if (path === "/api/billing/adjustments") return json([ADJ, OWN]);
    if (path === "/api/payments/drawers") return json([DRAWER]);
    if (path === "/api/accounts/rebates/applications") return json([REBATE, OWN_REBATE]);
    if (path === "/api/auth/me") {
      return json({ username: "sup", role: "supervisor", name: "Sup", authority: "1000.00" });
    }
    if (path === "/api/collections/notices/awaiting-approval") {
      return json({ batches: [], unbatched: [] });
    }
    if (path.startsWith("/api/accounts/accounts/")) return json({ number: "100027457" });
    return json([]);
  }
  if (path.endsWith("/approve")) return json({ ...ADJ, status: "posted" });
  if (path.endsWith("/deny")) return json({ ...REBATE, status: "denied" });
  if (path.endsWith("/sign-off")) return json({ ...DRAWER, status: "signed_off" });
  return json({}, 404);
}

function setup() {
  renderWithProviders(<ApprovalsPage />);
}

describe("the approvals inbox", () => {
  beforeEach(() => {
    calls.length = 0;
    resetAuthForTests({ accessToken: "t", refreshToken: "r".repeat(12), role: "supervisor",
      username: "sup", expiresAt: Date.now() + 60_000 });
    vi.stubGlobal("fetch", vi.fn(async (req: Request) => {
      const url = new URL(req.url, "http://x");
      const text = req.method === "GET" ? "" : await req.text();
      calls.push({ method: req.method, path: url.pathname,
        key: req.headers.get("Idempotency-Key"), body: text ? JSON.parse(text) : null });
      return answer(req.method, url.pathname);
    }));
  });
  afterEach(() => vi.unstubAllGlobals());

  it("approves another's adjustment in place, once, and lists one's own apart without buttons",
    async () => {
      setup();
      const user = userEvent.setup();
      const waiting = await screen.findByRole("table", { name: "Waiting for your approval" });
      const row = (await within(waiting).findByText("Leak under the slab")).closest("tr")!;
      const own = screen.getByRole("table", { name: "Your own requests" });
      expect(within(own).getByText("My own courtesy credit")).toBeInTheDocument();
      expect(within(own).queryByRole("button")).not.toBeInTheDocument();
      expect(await within(row as HTMLElement).findByRole("link", { name: "100027457" }))
        .toHaveAttribute("href", "/accounts/100027457");

      await user.click(within(row as HTMLElement).getByRole("button", { name: /^Approve/ }));
      const dialog = await screen.findByRole("dialog");
      await user.click(within(dialog).getByRole("button", { name: "Approve" }));
      await waitFor(() => expect(calls.some((c) => c.method === "POST")).toBe(true));
      const posts = calls.filter((c) => c.method === "POST");
      expect(posts).toHaveLength(1);
      expect(posts[0]!.path).toBe(`/api/billing/adjustments/${ADJ.id}/approve`);
      expect(posts[0]!.key).toBeTruthy();
      expect(await screen.findByText(/Approve: adjustment/)).toBeInTheDocument();
    }, 20_000);

  it("denies another's rebate with the letter's reason and never offers one's own intake",
    async () => {
      setup();
      const user = userEvent.setup();
      const waiting = await screen.findByRole("table", { name: "Waiting for your approval" });
      const row = (await within(waiting).findByText("Two low-flow toilets")).closest("tr")!;
      expect(within(row as HTMLElement).getByText(/toilet rebate, 2 unit\(s\) at 12 Alder Ct/))
        .toBeInTheDocument();
      expect(within(row as HTMLElement).getByRole("link", { name: "100031337" }))
        .toHaveAttribute("href", "/accounts/100031337");
      const own = screen.getByRole("table", { name: "Your own requests" });
      expect(within(own).getByText("Washer rebate I took in")).toBeInTheDocument();
      expect(screen.getByRole("radio", { name: "Rebate (1)" })).toBeInTheDocument();

      await user.click(within(row as HTMLElement).getByRole("button", { name: /^Deny Rebate/ }));
      const dialog = await screen.findByRole("dialog");
      const reason = within(dialog).getByRole("textbox", { name: /Reason/ });
      expect(reason).toBeRequired();
      await user.type(reason, "Installed before the programme began");
      await user.keyboard("{Control>}{Enter}{/Control}");
      await waitFor(() => expect(calls.some((c) => c.path.endsWith("/deny"))).toBe(true));
      const posts = calls.filter((c) => c.method === "POST");
      expect(posts).toHaveLength(1);
      expect(posts[0]!.path).toBe(`/api/accounts/rebates/applications/${REBATE.id}/deny`);
      expect(posts[0]!.key).toBeTruthy();
      expect(posts[0]!.body).toEqual({ on_date: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
        reason: "Installed before the programme began" });
      expect(await screen.findByText(/Deny: rebate/)).toBeInTheDocument();
    }, 20_000);

  it("signs off a short drawer only with the reason, which goes with the sign-off", async () => {
    setup();
    const user = userEvent.setup();
    await user.click(await screen.findByRole("button", { name: /^Sign off Drawer/ }));
    const dialog = await screen.findByRole("dialog");
    const reason = within(dialog).getByRole("textbox", { name: /Note/ });
    expect(reason).toBeRequired();
    await user.type(reason, "Quarter short: miscounted change");
    await user.keyboard("{Control>}{Enter}{/Control}");
    await waitFor(() => expect(calls.some((c) => c.path.endsWith("/sign-off"))).toBe(true));
    const signOff = calls.find((c) => c.path.endsWith("/sign-off"))!;
    expect(signOff.path).toBe(`/api/payments/drawers/${DRAWER.id}/sign-off`);
    expect(signOff.body).toEqual({ note: "Quarter short: miscounted change" });
  }, 20_000);
});
