import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";

import { jsonResponse, renderPortal } from "../test/render";
import { RegisterPage } from "./RegisterPage";

afterEach(() => vi.restoreAllMocks());

describe("portal registration", { timeout: 30_000 }, () => {
  it("sends the account number with exactly one fact from the bill, then says to check the mail", async () => {
    const bodies: unknown[] = [];
    vi.spyOn(globalThis, "fetch").mockImplementation(async (input) => {
      bodies.push(JSON.parse(await (input as Request).text()));
      return jsonResponse({ status: "accepted", detail: "sent" }, 202);
    });
    renderPortal([{ path: "/register", element: <RegisterPage /> }], "/register");
    await userEvent.type(screen.getByLabelText(/^Account number/), "1000 0001 7");
    await userEvent.click(screen.getByLabelText(/ZIP code where you get water/));
    await userEvent.type(screen.getByLabelText(/^Service ZIP code/), "93650");
    await userEvent.type(screen.getByLabelText(/^E-mail/), "pat@example.org");
    await userEvent.type(screen.getByLabelText(/^New password/), "a long portal password{Enter}");
    expect(await screen.findByRole("status")).toHaveTextContent("pat@example.org");
    expect(bodies).toEqual([{ account_number: "100000017", email: "pat@example.org",
      password: "a long portal password", language: "en", service_zip: "93650" }]);
  });
});
