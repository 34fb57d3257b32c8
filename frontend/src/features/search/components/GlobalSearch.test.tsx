import { MantineProvider } from "@mantine/core";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";

import { resetAuthForTests } from "@/lib/auth";

import { GlobalSearch } from "./GlobalSearch";

const HIT = { entity: "account", id: "a1", account_number: "100027457", title: "Maria Lopez",
  subtitle: "12 Oak St", status: "active", score: 1 };

function setup(onPick = vi.fn()) {
  render(
    <MantineProvider>
      <QueryClientProvider client={new QueryClient()}>
        <p>Somewhere else</p>
        <GlobalSearch onPick={onPick} />
      </QueryClientProvider>
    </MantineProvider>,
  );
  return onPick;
}

describe("global search", () => {
  beforeEach(() => {
    resetAuthForTests({ accessToken: "t", refreshToken: "r".repeat(12), role: "csr1",
      username: "csr1", expiresAt: Date.now() + 60_000 });
    vi.stubGlobal("fetch", vi.fn(async (req: Request) => {
      expect(new URL(req.url, "http://x").searchParams.get("q")).toBe("maria");
      return new Response(JSON.stringify([HIT]), { headers: { "Content-Type":
        "application/json" } });
    }));
  });
  afterEach(() => vi.unstubAllGlobals());

  it("focuses on / and shows hits as you type; Enter opens the first", async () => {
    const onPick = setup();
    const user = userEvent.setup();
    const box = screen.getByRole("textbox", { name: /search accounts/i });
    await user.keyboard("/");
    expect(box).toHaveFocus();
    await user.keyboard("maria");
    expect(await screen.findByText("Maria Lopez")).toBeInTheDocument();
    await user.keyboard("{Enter}");
    await waitFor(() => expect(onPick).toHaveBeenCalledWith(HIT));
  });
});
