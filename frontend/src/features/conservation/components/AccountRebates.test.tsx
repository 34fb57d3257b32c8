import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";

import { logInAs, renderWithProviders } from "@/test/harness";

import { AccountRebates } from "./AccountRebates";

const PROGRAMMES = [
  { key: "toilet", name: "High-efficiency toilet", unit: "toilet", per_unit: "100.00",
    max_units: "2", cap: null, premise_kinds: ["single_family"] },
  { key: "washer", name: "Clothes washer", unit: "washer", per_unit: "150.00",
    max_units: "1", cap: null, premise_kinds: ["single_family"] },
];
const BASE = { account_id: "acc1", account_number: "100027457", customer_name: "Maria Delgado",
  premise_id: "p1", premise_address: "120 Alder St Fresno CA", installed_on: null, note: null,
  requested_by: "csr_one", form_ids: ["f1"], check_batch: null,
  created_at: "2026-03-02T10:00:00Z" };
const PENDING = { ...BASE, id: "a1", programme: "toilet", units: "2.00", amount: "200.00",
  payment: "credit", status: "pending", received_on: "2026-03-02", decided_by: null,
  decided_on: null, reason: null, letter_id: null };
const DENIED = { ...BASE, id: "a2", programme: "washer", units: "1.00", amount: "150.00",
  payment: "check", status: "denied", received_on: "2026-01-10", decided_by: "csr_two",
  decided_on: "2026-01-12", reason: "Installed before the programme began",
  letter_id: "d-letter" };

const calls: { method: string; path: string; query: string; key: string | null;
  body: unknown }[] = [];

function json(body: unknown, status = 200) {
  return new Response(JSON.stringify(body), { status,
    headers: { "Content-Type": "application/json" } });
}

function setup(role: string) {
  logInAs(role, `${role}_user`);
  renderWithProviders(<AccountRebates accountId="acc1" />);
}

describe("an account's rebates on Account 360", () => {
  beforeEach(() => {
    calls.length = 0;
    vi.stubGlobal("URL", Object.assign(URL, { createObjectURL: () => "blob:letter",
      revokeObjectURL: () => undefined }));
    vi.stubGlobal("fetch", vi.fn(async (req: Request) => {
      const url = new URL(req.url, "http://x");
      const text = req.method === "GET" ? "" : await req.text();
      calls.push({ method: req.method, path: url.pathname, query: url.search,
        key: req.headers.get("Idempotency-Key"), body: text ? JSON.parse(text) : null });
      if (url.pathname.endsWith("/programmes")) return json(PROGRAMMES);
      if (url.pathname === "/api/accounts/rebates/applications") return json([PENDING, DENIED]);
      if (url.pathname.endsWith("/approve")) {
        return json({ ...PENDING, status: "approved", decided_by: "csr2_user" });
      }
      if (url.pathname.startsWith("/api/accounts/contacts/documents/")) {
        return new Response(new Blob(["%PDF-1.4"]), { status: 200,
          headers: { "Content-Type": "application/pdf" } });
      }
      return json({}, 404);
    }));
  });
  afterEach(() => vi.unstubAllGlobals());

  it("lists the account's applications with status, amount, decision and the letter", async () => {
    setup("csr1");
    const user = userEvent.setup();
    const table = await screen.findByRole("table", { name: "Rebate applications of this account" });
    const list = calls.find((c) => c.path === "/api/accounts/rebates/applications")!;
    expect(new URLSearchParams(list.query).get("account_id")).toBe("acc1");
    expect(new URLSearchParams(list.query).get("status")).toBeNull();

    const denied = (await within(table).findByText("Clothes washer")).closest("tr")!;
    expect(within(denied).getByText("Denied")).toBeInTheDocument();
    expect(within(denied).getByText("$150.00")).toBeInTheDocument();
    expect(within(denied).getByText("Check")).toBeInTheDocument();
    expect(within(denied).getByText("Installed before the programme began")).toBeInTheDocument();
    expect(within(denied).getByText("csr_two, 2026-01-12")).toBeInTheDocument();
    expect(within(denied).queryByRole("button", { name: /Approve/ })).not.toBeInTheDocument();
    const click = vi.spyOn(HTMLAnchorElement.prototype, "click").mockImplementation(() => {});
    await user.click(within(denied).getByRole("button",
      { name: "Denial letter of the Clothes washer rebate" }));
    await waitFor(() => expect(click).toHaveBeenCalled());  // the PDF handed to the browser
    expect(calls.some((c) => c.path === "/api/accounts/contacts/documents/d-letter")).toBe(true);
    click.mockRestore();

    const pending = within(table).getByText("High-efficiency toilet").closest("tr")!;
    expect(within(pending).getByText("Waiting for approval")).toBeInTheDocument();
    expect(within(pending).getByText("$200.00")).toBeInTheDocument();
    expect(within(pending).getByText("1 scanned")).toBeInTheDocument();
  }, 20_000);

  it("lets a CSR approve a pending one with one Idempotency-Key", async () => {
    setup("csr2");
    const user = userEvent.setup();
    await user.click(await screen.findByRole("button",
      { name: "Approve the High-efficiency toilet rebate" }));
    const dialog = await screen.findByRole("dialog");
    await user.type(within(dialog).getByRole("textbox", { name: /Note/ }), "Receipts seen");
    await user.click(within(dialog).getByRole("button", { name: "Approve" }));
    await waitFor(() => expect(calls.some((c) => c.path.endsWith("/approve"))).toBe(true));
    const posts = calls.filter((c) => c.method === "POST");
    expect(posts).toHaveLength(1);
    expect(posts[0]!.path).toBe("/api/accounts/rebates/applications/a1/approve");
    expect(posts[0]!.key).toBeTruthy();
    expect(posts[0]!.body).toMatchObject({ note: "Receipts seen" });
  }, 20_000);

  it("shows a billing technician the list without decisions", async () => {
    setup("billing_tech");
    expect(await screen.findByText("High-efficiency toilet")).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: /Approve|Deny/ })).not.toBeInTheDocument();
    expect(screen.getByRole("link", { name: "All rebate applications" }))
      .toHaveAttribute("href", "/conservation/applications");
  }, 20_000);
});
