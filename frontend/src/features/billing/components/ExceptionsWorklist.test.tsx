import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";

import type { WorklistItem } from "../api/reads";
import { ExceptionsWorklist } from "./ExceptionsWorklist";
import { logInAs, renderWithProviders, stubApi } from "@/test/harness";

const HIGH: WorklistItem = { id: "e1", read_id: "rd1", meter_id: "m1", serial: "SN0001",
  cycle: "C1", route: "R01", code: "high", detail: "use 9x the average", status: "open",
  resolution: null, reason: null, read_on: "2026-02-28", value: "1120" };
const MISSING: WorklistItem = { ...HIGH, id: "e2", read_id: null, serial: "SN0002",
  code: "missing", detail: "no read in the period", read_on: null, value: null };

describe("the read exceptions worklist", () => {
  beforeEach(() => logInAs("billing_tech", "tess"));
  afterEach(() => vi.unstubAllGlobals());

  it("lists open exceptions by route and meter", async () => {
    const calls = stubApi(() => [200, [HIGH, MISSING]]);
    renderWithProviders(<ExceptionsWorklist />);
    const table = await screen.findByRole("table", { name: "Read exceptions" });
    expect(within(table).getByText("SN0001")).toBeInTheDocument();
    expect(within(table).getByText("no read in the period")).toBeInTheDocument();
    expect(calls[0]?.path).toBe("/api/billing/reads/exceptions/worklist");
  });

  it("offers a read's four resolutions", async () => {
    stubApi(() => [200, [HIGH]]);
    renderWithProviders(<ExceptionsWorklist />);
    await userEvent.setup().click(await screen.findByRole("button",
      { name: "Work exception on meter SN0001" }));
    expect((await screen.findAllByRole("menuitem")).map((i) => i.textContent)).toEqual(
      ["Accept read", "Order re-read", "Estimate", "Correct read"]);
  });

  it("offers only a re-read or an estimate when there is no read to accept or correct",
    async () => {
      stubApi(() => [200, [MISSING]]);
      renderWithProviders(<ExceptionsWorklist />);
      await userEvent.setup().click(await screen.findByRole("button",
        { name: "Work exception on meter SN0002" }));
      expect((await screen.findAllByRole("menuitem")).map((i) => i.textContent)).toEqual(
        ["Order re-read", "Estimate"]);
    });
});
