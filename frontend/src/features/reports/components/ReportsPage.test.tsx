import { MantineProvider } from "@mantine/core";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { MemoryRouter } from "react-router-dom";

import { resetAuthForTests } from "@/lib/auth";

import { reportQuery } from "../api/reports";
import { ReportsPage } from "./ReportsPage";

function setup(role: string) {
  resetAuthForTests({ accessToken: "t", refreshToken: "r".repeat(12), role, username: role,
    expiresAt: Date.now() + 60_000 });
  render(
    <MantineProvider>
      <QueryClientProvider client={new QueryClient({
        defaultOptions: { queries: { retry: false } } })}>
        <MemoryRouter><ReportsPage /></MemoryRouter>
      </QueryClientProvider>
    </MantineProvider>,
  );
}

describe("the Reports page", () => {
  afterEach(() => vi.unstubAllGlobals());

  it("leaves empty parameters to the server's default", () => {
    expect(reportQuery({ as_of: "" })).toBe("");
    expect(reportQuery({ date: "2026-03-02", x: null })).toBe("?date=2026-03-02");
    expect(reportQuery({ year: 2026 })).toBe("?year=2026");
  });

  it("gives a CSR the aging, receipts and disconnection reports, not a run's", () => {
    vi.stubGlobal("fetch", vi.fn(async () => new Response("[]")));
    setup("csr1");
    for (const name of ["Aging", "Receipts (end of day)", "Disconnections (SB 998)"]) {
      expect(screen.getByRole("region", { name })).toBeInTheDocument();
    }
    expect(screen.queryByRole("region", { name: "Bill run reports" })).toBeNull();
  });

  it("shows the aging totals by bucket as of the day asked", async () => {
    const urls: string[] = [];
    vi.stubGlobal("fetch", vi.fn(async (req: Request) => {
      urls.push(req.url);
      if (req.url.includes("/api/billing/runs")) return new Response("[]");
      return new Response(JSON.stringify({ as_of: "2026-03-31", billing_announced_total: "0",
        accounts_behind: 0, rows: [], totals: { accounts: 2, unapplied_credit: "-5.00",
          balance: "95.00", buckets: { current: "60.00", days_1_30: "40.00", days_31_60: "0.00",
            days_61_90: "0.00", days_91_120: "0.00", days_over_120: "0.00" } } }),
      { headers: { "Content-Type": "application/json" } });
    }));
    setup("billing_tech");
    const user = userEvent.setup();
    const aging = screen.getByRole("region", { name: "Aging" });
    const asOf = aging.querySelector("input[type=date]") as HTMLInputElement;
    await user.type(asOf, "2026-03-31");
    await user.click(screen.getByRole("button", { name: "Totals" }));
    expect(await screen.findByRole("table", { name: "Aging totals" })).toHaveTextContent(
      "1–30 days$40.00");
    await waitFor(() => expect(urls.some((u) =>
      u.includes("/api/collections/reports/aging?as_of=2026-03-31"))).toBe(true));
  });
});
