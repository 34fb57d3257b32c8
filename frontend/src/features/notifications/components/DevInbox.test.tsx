import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { resetAuthForTests } from "@/lib/auth";

import { DevInbox } from "./DevInbox";
import { fakeApi, json, renderAt } from "./testing";

describe("the development inbox", { timeout: 20_000 }, () => {
  beforeEach(() => resetAuthForTests({ accessToken: "t", refreshToken: "r".repeat(12),
    role: "csr1", username: "casey", expiresAt: Date.now() + 60_000 }));
  afterEach(() => vi.unstubAllGlobals());

  it("shows what demo mode kept, the HTML in a sandboxed frame", async () => {
    fakeApi((_req, path) => path === "/api/mail/dev-inbox" ? json([
      { id: "1", sent_at: "2026-11-28T07:00:00Z", sender: "bills@tapline.invalid",
        to: "rosa@example.org", subject: "Su factura", text: "Hola", html: "<p>Hola</p>" },
    ]) : undefined);
    renderAt("/", "/", <DevInbox />);
    await userEvent.click(await screen.findByRole("button", { name: /Su factura/ }));
    const frame = await screen.findByTitle("E-mail to rosa@example.org: Su factura");
    expect(frame).toHaveAttribute("sandbox", "");
    expect(frame.getAttribute("srcdoc")).toBe("<p>Hola</p>");
  });

  it("says there is none when mail goes to a real server (404)", async () => {
    fakeApi(() => undefined);
    renderAt("/", "/", <DevInbox />);
    expect(await screen.findByText(/No development inbox/)).toBeInTheDocument();
  });
});
