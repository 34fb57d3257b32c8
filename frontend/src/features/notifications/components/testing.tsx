/** Test helpers: the notifications screens in a memory router over a fake API. */
import { MantineProvider } from "@mantine/core";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render } from "@testing-library/react";
import type { ReactNode } from "react";
import { createMemoryRouter, RouterProvider } from "react-router-dom";
import { vi } from "vitest";

export function json(body: unknown, status = 200) {
  return new Response(JSON.stringify(body), { status,
    headers: { "Content-Type": "application/json" } });
}

export type Route = (req: Request, path: string) =>
  Response | undefined | Promise<Response | undefined>;

/** Stub fetch with `route`; every request is kept (cloned) for the test to inspect. */
export function fakeApi(route: Route): Request[] {
  const seen: Request[] = [];
  vi.stubGlobal("fetch", vi.fn(async (req: Request) => {
    seen.push(req.clone());
    const path = new URL(req.url, "http://x").pathname;
    return (await route(req, path)) ?? json({ title: "Not found", status: 404 }, 404);
  }));
  return seen;
}

export function renderAt(path: string, pattern: string, element: ReactNode) {
  const router = createMemoryRouter([{ path: pattern, element }], { initialEntries: [path] });
  return render(
    <MantineProvider>
      <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
        <RouterProvider router={router} />
      </QueryClientProvider>
    </MantineProvider>,
  );
}
