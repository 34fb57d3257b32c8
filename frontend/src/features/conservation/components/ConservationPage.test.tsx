import { MantineProvider } from "@mantine/core";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { createMemoryRouter, RouterProvider } from "react-router-dom";

import { resetAuthForTests } from "@/lib/auth";

import { ConservationPage } from "./ConservationPage";

const PROGRAMMES = [
  { key: "toilet", name: "High-efficiency toilet", unit: "toilet", per_unit: "100.00",
    max_units: "2", cap: null, premise_kinds: ["single_family"] },
  { key: "turf", name: "Turf replacement", unit: "sq ft", per_unit: "2.00", max_units: null,
    cap: "2000.00", premise_kinds: ["single_family"] },
];
const APP = { id: "a1", account_id: "acc1", account_number: "100027457",
  customer_name: "Maria Delgado", premise_id: "p1", premise_address: "120 Alder St Fresno CA",
  programme: "toilet", units: "2.00", amount: "200.00", payment: "credit", status: "pending",
  received_on: "2026-03-02", installed_on: null, note: null, requested_by: "csr_one",
  decided_by: null, decided_on: null, reason: null, letter_id: null, form_ids: [],
  check_batch: null, created_at: "2026-03-02T10:00:00Z" };

const calls: { method: string; path: string; key: string | null; type: string | null;
  body: unknown }[] = [];

function json(body: unknown, status = 200) {
  return new Response(JSON.stringify(body), { status,
    headers: { "Content-Type": "application/json" } });
}

function setup(path: string, role: string) {
  resetAuthForTests({ accessToken: "t", refreshToken: "r".repeat(12), role,
    username: `${role}_user`, expiresAt: Date.now() + 60_000 });
  const router = createMemoryRouter(
    [{ path: "/conservation/:tab?", element: <ConservationPage /> }], { initialEntries: [path] });
  render(
    <MantineProvider>
      <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
        <RouterProvider router={router} />
      </QueryClientProvider>
    </MantineProvider>,
  );
}

let twoPremises = false;

describe("conservation rebates", () => {
  beforeEach(() => {
    calls.length = 0;
    twoPremises = false;
    vi.stubGlobal("fetch", vi.fn(async (req: Request) => {
      const url = new URL(req.url, "http://x");
      const type = req.headers.get("Content-Type");
      const body = req.method === "GET" || type?.startsWith("multipart/") ? null
        : await req.text().then((t) => (t ? JSON.parse(t) : null));
      calls.push({ method: req.method, path: url.pathname, type, body,
        key: req.headers.get("Idempotency-Key") });
      if (url.pathname.endsWith("/programmes")) return json(PROGRAMMES);
      if (url.pathname.startsWith("/api/accounts/accounts/by-number/")) {
        return json({ id: "acc1", number: "100027457", status: "active" });
      }
      if (url.pathname === "/api/accounts/agreements") {
        return json(twoPremises ? [{ premise_id: "p1", status: "active" },
          { premise_id: "p2", status: "active" }, { premise_id: "p3", status: "stopped" }]
          : [{ premise_id: "p1", status: "active" }]);
      }
      if (url.pathname.startsWith("/api/accounts/premises/")) {
        const id = url.pathname.split("/").pop()!;
        return json({ id, address: { line1: `${id === "p1" ? 120 : 9} Alder St`,
          city: "Fresno", state: "CA", postal_code: "93701" } });
      }
      if (url.pathname.endsWith("/applications") && req.method === "GET") return json([APP]);
      if (url.pathname.endsWith("/applications")) return json(APP, 201);
      if (url.pathname.endsWith("/forms")) return json({ ...APP, form_ids: ["d1"] });
      if (url.pathname.endsWith("/approve")) {
        return json({ ...APP, status: "approved", decided_by: "sup", letter_id: "l1" });
      }
      return json({ title: "Not found", status: 404 }, 404);
    }));
  });
  afterEach(() => vi.unstubAllGlobals());

  it("takes in a form with its scan: the application, then the scan as multipart", async () => {
    setup("/conservation/intake", "csr1");
    const user = userEvent.setup();
    const form = await screen.findByRole("form", { name: "Take in a rebate form" });
    await user.type(within(form).getByRole("textbox", { name: /Account number/ }), "100027457");
    expect(await within(form).findByText("Account 100027457 (active)")).toBeInTheDocument();
    expect(within(form).getByText("$100.00 per toilet, at most 2 toilets")).toBeInTheDocument();
    const input = form.querySelector("input[type=file]") as HTMLInputElement;
    await user.upload(input, new File(["%PDF-1.4"], "form.pdf", { type: "application/pdf" }));
    await user.type(within(form).getByRole("textbox", { name: /Units/ }), "2{Enter}");
    expect(await screen.findByText(/Waiting for approval: \$200.00/)).toBeInTheDocument();
    const posts = calls.filter((c) => c.method === "POST");
    expect(posts.map((c) => c.path)).toEqual(["/api/accounts/rebates/applications",
      "/api/accounts/rebates/applications/a1/forms"]);
    expect(posts[0]!.body).toMatchObject({ account_id: "acc1", programme: "toilet", units: "2",
      payment: "credit", installed_on: null });
    expect(posts[0]!.key).toBeTruthy();
    expect(posts[1]!.type).toMatch(/^multipart\/form-data; boundary=/);
  }, 20_000);

  it("asks which premise when the account serves more than one", async () => {
    twoPremises = true;
    setup("/conservation/intake", "csr2");
    const user = userEvent.setup();
    const form = await screen.findByRole("form", { name: "Take in a rebate form" });
    await user.type(within(form).getByRole("textbox", { name: /Account number/ }), "100027457");
    const premise = await within(form).findByRole("combobox", { name: /Premise/ });
    expect(within(premise).getAllByRole("option")).toHaveLength(3);
    await user.selectOptions(premise, "p2");
    await user.type(within(form).getByRole("textbox", { name: /Units/ }), "1{Enter}");
    await waitFor(() => expect(calls.some((c) => c.method === "POST")).toBe(true));
    expect(calls.find((c) => c.method === "POST")!.body).toMatchObject({ premise_id: "p2" });
  }, 20_000);

  it("approves a pending application with the date it was decided", async () => {
    setup("/conservation/applications", "supervisor");
    const user = userEvent.setup();
    await user.click(await screen.findByRole("button", { name: "Approve 100027457's rebate" }));
    const dialog = await screen.findByRole("form", { name: "Approve rebate" });
    await user.type(within(dialog).getByRole("textbox", { name: /Note/ }), "receipt seen");
    await user.click(within(dialog).getByRole("button", { name: "Approve" }));
    await waitFor(() => expect(calls.some((c) => c.path.endsWith("/approve"))).toBe(true));
    const approve = calls.find((c) => c.path.endsWith("/approve"))!;
    expect(approve.path).toBe("/api/accounts/rebates/applications/a1/approve");
    expect(approve.body).toMatchObject({ note: "receipt seen" });
    expect((approve.body as { on_date: string }).on_date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(approve.key).toBeTruthy();
  }, 20_000);

  it("shows a billing technician the list but no intake and no decisions", async () => {
    setup("/conservation/applications", "billing_tech");
    expect(await screen.findByText("Maria Delgado")).toBeInTheDocument();
    expect(screen.queryByRole("tab", { name: "Take in a form" })).not.toBeInTheDocument();
    expect(screen.queryByRole("button", { name: /Approve/ })).not.toBeInTheDocument();
  }, 20_000);
});
