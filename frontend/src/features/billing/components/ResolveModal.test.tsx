import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";

import type { WorklistItem } from "../api/reads";
import { ResolveModal } from "./ResolveModal";
import { logInAs, renderWithProviders, stubApi } from "@/test/harness";

const ITEM: WorklistItem = { id: "e1", read_id: "rd1", meter_id: "m1", serial: "SN0001",
  cycle: "C1", route: "R01", code: "high", detail: "use 9x the average", status: "open",
  resolution: null, reason: null, read_on: "2026-02-28", value: "1120" };

describe("working a read exception", () => {
  beforeEach(() => logInAs("billing_tech", "tess"));
  afterEach(() => vi.unstubAllGlobals());

  it("corrects a read with Enter, sending the value and the reason", async () => {
    const calls = stubApi(() => [200, { id: "rd2" }]);
    const onClose = vi.fn();
    renderWithProviders(<ResolveModal item={ITEM} how="correct" onClose={onClose} />);
    const user = userEvent.setup();
    const value = screen.getByRole("textbox", { name: /Corrected reading/ });
    await user.clear(value);
    await user.type(value, "112");
    await user.type(screen.getByRole("textbox", { name: /Reason/ }), "digit misread{Enter}");
    await waitFor(() => expect(onClose).toHaveBeenCalled());
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ method: "POST",
      path: "/api/billing/reads/exceptions/e1/correct",
      body: { value: "112", reason: "digit misread" } });
  });

  it("estimates with the read's own date when none is typed", async () => {
    const calls = stubApi(() => [200, { id: "rd3" }]);
    renderWithProviders(<ResolveModal item={{ ...ITEM, read_on: null }} how="estimate"
      onClose={() => {}} />);
    await userEvent.setup().click(screen.getByRole("button", { name: "Estimate" }));
    await waitFor(() => expect(calls).toHaveLength(1));
    expect(calls[0]).toMatchObject({ path: "/api/billing/reads/exceptions/e1/estimate",
      body: { reason: "estimated", read_on: null } });
  });

  it("keeps the modal open and says why when the server refuses", async () => {
    const calls = stubApi(() => [409, { title: "Conflict", status: 409,
      detail: "already resolved" }]);
    const onClose = vi.fn();
    renderWithProviders(<ResolveModal item={ITEM} how="accept" onClose={onClose} />);
    const user = userEvent.setup();
    await user.type(screen.getByRole("textbox", { name: /Reason/ }), "checked on site{Enter}");
    await waitFor(() => expect(calls).toHaveLength(1));
    await waitFor(() => expect(screen.getByRole("button", { name: "Accept read" }))
      .not.toHaveAttribute("data-loading"));
    expect(onClose).not.toHaveBeenCalled();
    expect(screen.getByRole("dialog")).toBeInTheDocument();
  });
});
