import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";

import { logInAs, renderWithProviders } from "@/test/harness";

import { duration, NightlyPage, stepNote } from "./NightlyPage";

const RUN = "44444444-4444-4444-4444-444444444444";
const step = (name: string, title: string, status: string, extra: object = {}) => ({
  step: name, title, position: 0, status, attempts: 1, started_at: "2026-06-10T08:30:00Z",
  finished_at: "2026-06-10T08:30:02Z", seconds: 2.25, next_attempt_at: null, result: null,
  error: null, retried_by: null, ...extra });
const NIGHT = { id: RUN, day: "2026-06-10", status: "failed", requested_by: "schedule",
  started_at: "2026-06-10T08:30:00Z", finished_at: "2026-06-10T09:10:00Z", reports: [],
  steps: [step("collections", "Aging and the collections ladder", "succeeded"),
    step("autopay", "Autopay debits due", "failed",
      { attempts: 4, error: "POST /api/payments/autopay/run answered 503: autopay is down" }),
    step("reports", "Month's reports kept", "skipped",
      { attempts: 0, error: "Reports are kept on the first of a month" })] };

const calls: { method: string; path: string; key: string | null }[] = [];

function json(body: unknown, status = 200) {
  return new Response(JSON.stringify(body), { status,
    headers: { "Content-Type": "application/json" } });
}

function setup(role: string) {
  logInAs(role, "sue");
  renderWithProviders(<NightlyPage />);
}

describe("the nightly update's run log", () => {
  beforeEach(() => {
    calls.length = 0;
    vi.stubGlobal("fetch", vi.fn(async (req: Request) => {
      const url = new URL(req.url, "http://x");
      calls.push({ method: req.method, path: url.pathname,
        key: req.headers.get("Idempotency-Key") });
      if (req.method === "GET") return json([NIGHT]);
      return json({ ...NIGHT, status: "running" }, 202);
    }));
  });
  afterEach(() => vi.unstubAllGlobals());

  it("shows each step's status and why it failed, and a supervisor retries it once", async () => {
    setup("supervisor");
    const user = userEvent.setup();
    const steps = await screen.findByRole("table", { name: "Steps of the night of 2026-06-10" });
    expect(within(steps).getByText(/autopay is down/)).toBeInTheDocument();
    expect(within(steps).getByText("Reports are kept on the first of a month"))
      .toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Retry Autopay debits due for 2026-06-10" }));
    await waitFor(() => expect(calls.some((c) => c.method === "POST")).toBe(true));
    const posts = calls.filter((c) => c.method === "POST");
    expect(posts).toHaveLength(1);
    expect(posts[0]!.path).toBe(`/api/nightly/runs/${RUN}/steps/autopay/retry`);
    expect(posts[0]!.key).toBeTruthy();
  });

  it("gives a billing technician the log but no buttons", async () => {
    setup("billing_tech");
    await screen.findByRole("table", { name: "Steps of the night of 2026-06-10" });
    expect(screen.queryByRole("button", { name: /Retry/ })).not.toBeInTheDocument();
    expect(screen.queryByRole("form", { name: "Run a night now" })).not.toBeInTheDocument();
  });

  it("says how long a step took and what it kept", () => {
    expect(duration(2.25)).toBe("2.3 s");
    expect(duration(125)).toBe("2 min 5 s");
    expect(duration(null)).toBe("—");
    expect(stepNote({ ...NIGHT.steps[0]!, result: { kept: ["a", "b"] } } as never))
      .toBe("2 report(s) kept");
  });
});
