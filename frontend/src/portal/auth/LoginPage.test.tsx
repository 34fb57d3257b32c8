import { cleanup, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";

import { getPortalSession, setPortalSession } from "../lib/session";
import { fakeToken, jsonResponse, renderPortal } from "../test/render";
import { LoginPage } from "./LoginPage";

const routes = [
  { path: "/login", element: <LoginPage /> },
  { path: "/", element: <p>home</p> },
];

afterEach(() => {
  cleanup(); // unmount first: the session and language changes below would re-render it
  vi.restoreAllMocks();
  setPortalSession(null);
});

describe("portal login", { timeout: 30_000 }, () => {
  it("asks for the authenticator's code when the login has one, then signs in", async () => {
    const calls: unknown[] = [];
    vi.spyOn(globalThis, "fetch").mockImplementation(async (input) => {
      const body = JSON.parse(await (input as Request).text()) as Record<string, string>;
      calls.push(body);
      return body.totp_code
        ? jsonResponse({ access_token: fakeToken(["acct-1"]), refresh_token: "r", expires_in: 900,
          token_type: "bearer", role: "customer" })
        : jsonResponse({ title: "Second factor required", status: 401, code: "totp-required" }, 401);
    });
    const { router } = renderPortal(routes, "/login");
    await userEvent.type(screen.getByLabelText(/E-mail/), "pat@example.org");
    await userEvent.type(screen.getByLabelText(/^Password/), "a long password{Enter}");
    const code = await screen.findByLabelText(/Code from your authenticator app/);
    await userEvent.type(code, "123456{Enter}");
    await waitFor(() => expect(router.state.location.pathname).toBe("/"));
    expect(calls).toEqual([
      { email: "pat@example.org", password: "a long password" },
      { email: "pat@example.org", password: "a long password", totp_code: "123456" },
    ]);
    expect(getPortalSession()?.accounts).toEqual(["acct-1"]);
  });

  it("says so when too many tries were made, and keeps no session", async () => {
    vi.spyOn(globalThis, "fetch").mockResolvedValue(
      jsonResponse({ title: "Too many", status: 429 }, 429));
    renderPortal(routes, "/login");
    await userEvent.type(screen.getByLabelText(/E-mail/), "pat@example.org");
    await userEvent.type(screen.getByLabelText(/^Password/), "x{Enter}");
    expect(await screen.findByRole("alert")).toHaveTextContent(/Too many tries/);
    expect(getPortalSession()).toBeNull();
  });
});
