import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";

import { ReviewThresholdsCard } from "./BillingSettings";
import { logInAs, renderWithProviders, stubApi } from "@/test/harness";

const NOW = { max_total: "1000.00", change: "0.5", due_days: 21 };

describe("bill review thresholds", () => {
  afterEach(() => vi.unstubAllGlobals());

  it("lets a supervisor change them, sending the days as a whole number", async () => {
    logInAs("supervisor", "sam");
    const calls = stubApi((method) => [200, method === "PUT"
      ? { ...NOW, max_total: "1500.00", due_days: 25 } : NOW]);
    renderWithProviders(<ReviewThresholdsCard />);
    const user = userEvent.setup();
    const total = await screen.findByRole("textbox", { name: /Flag bills over/ });
    await waitFor(() => expect(total).toHaveValue("1000.00"));
    await user.clear(total);
    await user.type(total, "1500.00");
    const days = screen.getByRole("textbox", { name: /Days to pay/ });
    await user.clear(days);
    await user.type(days, "25{Enter}");
    await waitFor(() => expect(calls.some((c) => c.method === "PUT")).toBe(true));
    expect(calls.find((c) => c.method === "PUT")).toMatchObject({
      path: "/api/billing/runs/config/thresholds",
      body: { max_total: "1500.00", change: "0.5", due_days: 25 } });
  });

  it("shows a technician the thresholds read-only", async () => {
    logInAs("billing_tech", "tess");
    stubApi(() => [200, NOW]);
    renderWithProviders(<ReviewThresholdsCard />);
    const total = await screen.findByRole("textbox", { name: /Flag bills over/ });
    await waitFor(() => expect(total).toHaveValue("1000.00"));
    expect(total).toHaveAttribute("readonly");
    expect(screen.queryByRole("button", { name: "Save" })).toBeNull();
    expect(screen.getByText("A supervisor changes these.")).toBeInTheDocument();
  });
});
