import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";

import type { Run } from "../api/runs";
import { RunActions } from "./RunActions";
import { logInAs, renderWithProviders, stubApi } from "@/test/harness";

const RUN: Run = { id: "r1", cycle: "C1", kind: "cycle", account_id: null,
  period_start: "2026-02-01", period_end: "2026-02-28", bill_date: "2026-03-02",
  due_date: "2026-03-23", status: "prepared", created_by: "tess", prepared_by: "tess",
  approved_by: null, finalised_by: null, finalised_at: null, bills: 3, total: "120.50",
  flagged: 1, held: 0, flags: { large_change: 1 }, held_for_copy: 0 };

describe("a bill run's approval buttons", () => {
  afterEach(() => vi.unstubAllGlobals());

  it("lets another supervisor approve, once, with an Idempotency-Key", async () => {
    logInAs("supervisor", "sam");
    const calls = stubApi(() => [200, { ...RUN, status: "approved", approved_by: "sam" }]);
    renderWithProviders(<RunActions run={RUN} />);
    const user = userEvent.setup();
    await user.click(screen.getByRole("button", { name: "Approve run" }));
    const dialog = await screen.findByRole("dialog");
    await user.click(dialog.querySelector("button[data-autofocus]") as HTMLElement);
    await waitFor(() => expect(calls).toHaveLength(1));
    expect(calls[0]).toMatchObject({ method: "POST", path: "/api/billing/runs/r1/approve" });
    expect(calls[0]?.key).toBeTruthy();
  });

  it("shows the supervisor who prepared the run why they cannot approve it", () => {
    logInAs("supervisor", "tess");
    stubApi(() => [500, {}]);
    renderWithProviders(<RunActions run={RUN} />);
    expect(screen.queryByRole("button", { name: "Approve run" })).toBeNull();
    expect(screen.getByText(/you prepared this run/)).toBeInTheDocument();
  });

  it("gives the technician no approval, only sending the run back or discarding it", () => {
    logInAs("billing_tech", "tess");
    stubApi(() => [500, {}]);
    renderWithProviders(<RunActions run={RUN} />);
    expect(screen.queryByRole("button", { name: "Approve run" })).toBeNull();
    expect(screen.getByRole("button", { name: "Send back to preview" })).toBeInTheDocument();
  });

  it("shows progress while finalising and the result after", async () => {
    logInAs("supervisor", "sam");
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => { release = r; });
    vi.stubGlobal("fetch", vi.fn(async () => {
      await gate;
      return new Response(JSON.stringify({ ...RUN, status: "finalised", finalised_by: "sam" }),
        { status: 200, headers: { "Content-Type": "application/json" } });
    }));
    const approved = { ...RUN, status: "approved", approved_by: "sam" };
    renderWithProviders(<RunActions run={approved} />);
    const user = userEvent.setup();
    await user.click(screen.getByRole("button", { name: "Finalise run" }));
    await user.click((await screen.findByRole("dialog")).querySelector(
      "button[data-autofocus]") as HTMLElement);
    expect(await screen.findByText("Posting 3 bills to the ledger…")).toBeInTheDocument();
    release();
    expect(await screen.findByText("Run finalised")).toBeInTheDocument();
  });
});
