import { MantineProvider } from "@mantine/core";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";

import { resetAuthForTests } from "@/lib/auth";

import { reportFile } from "../api/reports";
import { ReportCatalogue } from "./ReportCatalogue";

const entry = (service: string, name: string, title: string, period: "month" | "year") => ({
  name, title, description: `${title}, described`, period, formats: ["pdf", "csv"],
  path: `/api/${service}/reports/${name}` });

const CATALOGUES: Record<string, unknown> = {
  billing: { service: "billing", reports: [
    entry("billing", "billed-consumption", "Billed consumption and revenue", "month"),
    entry("billing", "water-delivered", "Water delivered by customer class (EAR)", "year")] },
  payments: { service: "payments", reports: [
    entry("payments", "receipts-by-tender", "Receipts by tender", "month")] },
  collections: { service: "collections", reports: [] },
};

function setup() {
  resetAuthForTests({ accessToken: "t", refreshToken: "r".repeat(12), role: "billing_tech",
    username: "tina", expiresAt: Date.now() + 60_000 });
  const urls: string[] = [];
  vi.stubGlobal("fetch", vi.fn(async (req: Request) => {
    urls.push(req.url);
    const service = /\/api\/(\w+)\/reports$/.exec(new URL(req.url).pathname)?.[1];
    if (service && service in CATALOGUES) {
      return new Response(JSON.stringify(CATALOGUES[service]),
        { headers: { "Content-Type": "application/json" } });
    }
    if (service) return new Response(JSON.stringify({ title: "down", status: 503 }), { status: 503,
      headers: { "Content-Type": "application/problem+json" } });
    return new Response("a,b\r\n", { headers: { "Content-Type": "text/csv",
      "Content-Disposition": 'attachment; filename="x.csv"' } });
  }));
  render(
    <MantineProvider>
      <QueryClientProvider client={new QueryClient({
        defaultOptions: { queries: { retry: false } } })}>
        <ReportCatalogue />
      </QueryClientProvider>
    </MantineProvider>,
  );
  return urls;
}

describe("the report catalogue", () => {
  afterEach(() => vi.unstubAllGlobals());

  it("builds a download from the entry's path, format and period", () => {
    const e = entry("billing", "connections", "Connections", "year");
    expect(reportFile(e, "csv", "")).toBe("/api/billing/reports/connections.csv");
    expect(reportFile(e, "pdf", " 2025 ")).toBe("/api/billing/reports/connections.pdf?year=2025");
    const m = entry("billing", "unbilled", "Unbilled", "month");
    expect(reportFile(m, "csv", "2026-02")).toBe("/api/billing/reports/unbilled.csv?month=2026-02");
  });

  it("lists every service's reports and says which service did not answer", async () => {
    setup();
    const billing = await screen.findByRole("region", { name: "Billing reports" });
    expect(await within(billing).findByRole("region",
      { name: "Water delivered by customer class (EAR)" })).toBeInTheDocument();
    expect(within(billing).getByLabelText("Month")).toBeInTheDocument();
    const payments = screen.getByRole("region", { name: "Payments reports" });
    expect(await within(payments).findByRole("region", { name: "Receipts by tender" }))
      .toBeInTheDocument();
    expect(await screen.findByText("The accounts service did not list its reports."))
      .toBeInTheDocument();
  });

  it("downloads the CSV of the month asked and refuses a year that is not a year", async () => {
    const urls = setup();
    const user = userEvent.setup();
    vi.stubGlobal("URL", Object.assign(URL, { createObjectURL: () => "blob:x",
      revokeObjectURL: () => undefined }));
    const click = vi.spyOn(HTMLAnchorElement.prototype, "click").mockImplementation(() => {});
    const billed = await screen.findByRole("region", { name: "Billed consumption and revenue" });
    await user.type(within(billed).getByLabelText("Month"), "2026-02");
    await user.click(within(billed).getByRole("button",
      { name: "CSV: Billed consumption and revenue" }));
    await waitFor(() => expect(urls).toContain(
      "http://localhost:3000/api/billing/reports/billed-consumption.csv?month=2026-02"));
    await waitFor(() => expect(click).toHaveBeenCalled());  // handed to the browser as x.csv
    click.mockRestore();
    const ear = screen.getByRole("region", { name: "Water delivered by customer class (EAR)" });
    await user.type(within(ear).getByLabelText("Year"), "20x");
    expect(within(ear).getByRole("button", { name: "PDF: Water delivered by customer class (EAR)" }))
      .toBeDisabled();
    expect(within(ear).getByText("A year, YYYY")).toBeInTheDocument();
  });
});
