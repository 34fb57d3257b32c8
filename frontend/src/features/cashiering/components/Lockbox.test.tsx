import { MantineProvider } from "@mantine/core";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";

import { resetAuthForTests } from "@/lib/auth";

import { Lockbox } from "./Lockbox";

const LINE = { id: "s1", import_id: "i1", line_no: 3, batch: 1, item: 3,
  deposit_date: "2026-02-12", reason: "unknown_account", amount: "45.10",
  account_as_read: "10002745", check_number: "5521", routing: "121000358", last4: "6789",
  remitter_key: "k", status: "open", payment_id: null, resolved_by: null, resolved_at: null,
  note: null };
const IMPORT = { id: "i1", layout: "bai", origin: "BANK", file_id: "F001",
  created: "2026-02-12", line_count: 3, total: "145.10", posted_count: 2, posted_total: "100.00",
  suspense_count: 1, suspense_total: "45.10", imported_by: "csr_one",
  imported_at: "2026-02-12T09:00:00Z", duplicate: false };

const seen: { path: string; type: string | null; body: unknown }[] = [];

function json(body: unknown, status = 200) {
  return new Response(JSON.stringify(body), { status,
    headers: { "Content-Type": "application/json" } });
}

describe("lockbox", () => {
  beforeEach(() => {
    seen.length = 0;
    resetAuthForTests({ accessToken: "t", refreshToken: "r".repeat(12), role: "csr1",
      username: "csr_one", expiresAt: Date.now() + 60_000 });
    vi.stubGlobal("fetch", vi.fn(async (req: Request) => {
      const path = new URL(req.url, "http://x").pathname;
      if (req.method === "GET") return json([LINE]);
      const type = req.headers.get("Content-Type");
      // jsdom's File does not stream through Node's Request, so the parts are not read here;
      // the content type with its boundary shows that a multipart form went out.
      const body = type?.startsWith("multipart/") ? null : await req.json();
      seen.push({ path, type, body });
      return path.endsWith("/imports") ? json(IMPORT, 201) : json({ ...LINE, status: "resolved" });
    }));
  });
  afterEach(() => vi.unstubAllGlobals());

  it("uploads the bank's file as multipart and says what posted and what waits", async () => {
    render(<MantineProvider><QueryClientProvider client={new QueryClient()}>
      <Lockbox /></QueryClientProvider></MantineProvider>);
    const user = userEvent.setup();
    const form = screen.getByRole("form", { name: "Import a lockbox file" });
    const input = form.querySelector("input[type=file]") as HTMLInputElement;
    fireEvent.change(input, { target: { files: [new File(["H,F001\n"], "lockbox.csv",
      { type: "text/csv" })] } });
    await user.click(within(form).getByRole("button", { name: "Import" }));
    expect(await screen.findByText("Imported file F001")).toBeInTheDocument();
    expect(seen[0]!.path).toBe("/api/payments/lockbox/imports");
    expect(seen[0]!.type).toMatch(/^multipart\/form-data; boundary=/);
  }, 20_000);

  it("applies a suspense check to the account typed, the read number offered first",
    async () => {
      render(<MantineProvider><QueryClientProvider client={new QueryClient()}>
        <Lockbox /></QueryClientProvider></MantineProvider>);
      const user = userEvent.setup();
      await user.click(await screen.findByRole("button", { name: "Apply check 5521" }));
      const box = await screen.findByRole("textbox", { name: /^Account number/ });
      expect(box).toHaveValue("10002745");
      await user.type(box, "7{Enter}");
      await waitFor(() => expect(seen).toHaveLength(1));
      expect(seen[0]!.path).toBe("/api/payments/lockbox/suspense/s1/resolve");
      expect(seen[0]!.body).toEqual({ account_number: "100027457", note: null });
    }, 20_000);
});
