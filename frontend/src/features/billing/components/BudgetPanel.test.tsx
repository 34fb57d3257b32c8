import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";

import { BudgetPanel } from "./BudgetPanel";
import { logInAs, renderWithProviders, stubApi } from "@/test/harness";

const PLAN = { account_id: "a1", monthly_amount: "64.20", enrolled_on: "2026-03-01",
  status: "active", deferred: "-12.40" };

describe("budget billing on Account 360", () => {
  afterEach(() => vi.unstubAllGlobals());

  it("offers a CSR II enrolment off a plan, then shows the plan", async () => {
    logInAs("csr2", "cora");
    let enrolled = false;
    const calls = stubApi((method) => {
      if (method === "POST") {
        enrolled = true;
        return [201, PLAN];
      }
      return enrolled ? [200, PLAN] : [404, { title: "Not Found", status: 404 }];
    });
    renderWithProviders(<BudgetPanel accountId="a1" />);
    const enrol = await screen.findByRole("button", { name: "Enrol in budget billing" });
    await userEvent.setup().click(enrol);
    expect(await screen.findByText("$64.20")).toBeInTheDocument();
    expect(screen.getByText("-$12.40")).toBeInTheDocument();
    const post = calls.find((c) => c.method === "POST");
    expect(post).toMatchObject({ path: "/api/billing/ledger/budget", body: { account_id: "a1" } });
  });

  it("shows a CSR I the plan state but no enrol button", async () => {
    logInAs("csr1", "cal");
    stubApi(() => [404, { title: "Not Found", status: 404 }]);
    renderWithProviders(<BudgetPanel accountId="a1" />);
    expect(await screen.findByText(/Not on budget billing/)).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: /Enrol/ })).toBeNull();
  });

  it("asks before settling and posts the true-up", async () => {
    logInAs("supervisor", "sam");
    const calls = stubApi((method) => (method === "POST"
      ? [200, { account_id: "a1", settled: "-12.40", balance: "51.80" }] : [200, PLAN]));
    renderWithProviders(<BudgetPanel accountId="a1" />);
    const user = userEvent.setup();
    await user.click(await screen.findByRole("button", { name: /Settle \(annual/ }));
    await user.click(await screen.findByRole("button", { name: "Settle" }));
    await waitFor(() => expect(calls.some((c) => c.method === "POST")).toBe(true));
    expect(calls.find((c) => c.method === "POST")?.path)
      .toBe("/api/billing/ledger/budget/a1/settle");
    expect(await screen.findByText(/the balance is now/)).toBeInTheDocument();
  });
});
