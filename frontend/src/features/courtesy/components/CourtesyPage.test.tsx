import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";

import type { CourtesyItem } from "../api/courtesy";
import { CourtesyPage } from "./CourtesyPage";
import { logInAs, renderWithProviders, stubApi } from "@/test/harness";

const ITEM: CourtesyItem = {
  read_id: "r1", exception_id: "e1", exception_status: "open", exception_resolution: null,
  detail: "1.33/day is over 2.5x the prior period (0.33/day)", account_id: "a1",
  account_number: "1000012", customer_name: "Rosa Nguyen", premise_id: "p1",
  address: "140 Alder St, Riverbend", cycle: "C1", route: "C1-R01", meter_id: "m1",
  serial: "TL30000001", read_on: "2026-04-01", value: "60", usage: "40.0000", days: 30,
  comparison: { unit: "HCF", per_day: "1.33", prior_period_per_day: "0.33",
    last_year_per_day: null, average_per_day: "0.33", times_prior_period: "4.00",
    times_last_year: null, times_average: "4.00", flagged_against: "prior_period" },
  open_leak_alert: true, status: "open", calls: 0, last_call: null,
  leak_check_reason: "High usage courtesy call: meter TL30000001 read 2026-04-01 used 1.33",
};

const ORDER = { id: "o1", number: 57, kind: "leak_check", address: "140 Alder St",
  scheduled_date: "2026-04-02" };

function answer(method: string, path: string): [number, unknown] {
  if (method === "GET" && path === "/api/billing/courtesy/worklist") return [200, [ITEM]];
  if (path === "/api/accounts/orders") return [201, ORDER];
  return [201, { id: "c1", read_id: "r1", account_id: "a1", outcome: "no_answer", note: null,
    service_order_id: null, service_order_number: null, called_by: "casey",
    called_at: "2026-04-02T16:00:00Z" }];
}

describe("the courtesy call worklist", () => {
  afterEach(() => vi.unstubAllGlobals());

  it("shows each flagged read with its comparison and the AMI leak alert", async () => {
    logInAs("billing_tech", "tina");
    stubApi(answer);
    renderWithProviders(<CourtesyPage />);
    const table = await screen.findByRole("table", { name: "Courtesy call worklist" });
    const row = within(table).getAllByRole("row")[1]!;
    expect(row).toHaveTextContent("1000012");
    expect(row).toHaveTextContent("4.00× the prior period");
    expect(row).toHaveTextContent("0.33 HCF/day (4.00×)");
    expect(row).toHaveTextContent("AMI leak alert");
    // a billing technician calls but does not place service orders
    expect(within(row).queryByRole("button", { name: /Order leak check/ })).toBeNull();
  });

  it("records a call's outcome and note with Enter", async () => {
    logInAs("csr1", "casey");
    const calls = stubApi(answer);
    renderWithProviders(<CourtesyPage />);
    const user = userEvent.setup();
    await user.click(await screen.findByRole("button", { name: "Record call to account 1000012" }));
    await user.click(screen.getByRole("radio", { name: "No answer" }));
    await user.type(screen.getByRole("textbox", { name: /Note/ }), "rang twice{Enter}");
    await waitFor(() => expect(calls.filter((c) => c.method === "POST")).toHaveLength(1));
    const post = calls.find((c) => c.method === "POST")!;
    expect(post).toMatchObject({ path: "/api/billing/courtesy/r1/calls",
      body: { outcome: "no_answer", note: "rang twice" } });
    expect(post.key).toBeTruthy();
  });

  it("orders a leak check in one click and records the call that placed it", async () => {
    logInAs("csr2", "jordan");
    const calls = stubApi(answer);
    renderWithProviders(<CourtesyPage />);
    const user = userEvent.setup();
    await user.click(await screen.findByRole("button",
      { name: "Order leak check for account 1000012" }));
    await screen.findByText("Leak check order 57 placed");
    const posts = calls.filter((c) => c.method === "POST");
    expect(posts.map((c) => c.path)).toEqual(["/api/accounts/orders",
      "/api/billing/courtesy/r1/calls"]);
    expect(posts[0]!.body).toMatchObject({ kind: "leak_check", premise_id: "p1",
      account_id: "a1", meter_id: "m1", reason: ITEM.leak_check_reason });
    expect(posts[1]!.body).toMatchObject({ outcome: "leak_check_ordered",
      service_order_id: "o1", service_order_number: 57 });
    expect(posts[0]!.key).toBeTruthy();
    expect(posts[1]!.key).not.toEqual(posts[0]!.key);
  });
});
