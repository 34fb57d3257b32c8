import { MantineProvider } from "@mantine/core";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render } from "@testing-library/react";
import type { ReactElement } from "react";
import { createMemoryRouter, RouterProvider, type RouteObject } from "react-router-dom";

import "../i18n";
import { portalCssVariables, portalTheme } from "../app/theme";

/** A portal screen with its providers, at `path` of the given routes. */
export function renderPortal(routes: RouteObject[], path: string) {
  const router = createMemoryRouter(routes, { initialEntries: [path] });
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const ui: ReactElement = (
    <MantineProvider theme={portalTheme} cssVariablesResolver={portalCssVariables}>
      <QueryClientProvider client={client}>
        <RouterProvider router={router} />
      </QueryClientProvider>
    </MantineProvider>
  );
  return { router, ...render(ui) };
}

export function jsonResponse(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status,
    headers: { "Content-Type": status >= 400 ? "application/problem+json" : "application/json" } });
}

/** A token whose payload names `accounts` (unsigned: the client only reads the claim). */
export function fakeToken(accounts: string[]): string {
  const b64 = (o: object) => btoa(JSON.stringify(o)).replace(/=+$/, "");
  return `${b64({ alg: "none" })}.${b64({ role: "customer", accounts })}.sig`;
}
