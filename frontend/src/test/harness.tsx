/** Test scaffolding for feature components: providers, a session, a recorded fetch (shared by billing and courtesy). */
import { MantineProvider } from "@mantine/core";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render } from "@testing-library/react";
import type { ReactNode } from "react";
import { createMemoryRouter, RouterProvider } from "react-router-dom";

import { resetAuthForTests } from "@/lib/auth";

export function logInAs(role: string, username: string): void {
  resetAuthForTests({ accessToken: "t", refreshToken: "r".repeat(12), role, username,
    expiresAt: Date.now() + 60_000 });
}

export interface Call {
  method: string;
  path: string;
  body: unknown;
  key: string | null;
}

/** Stubs fetch: `answer(method, path)` gives [status, body]; every call is recorded. */
export function stubApi(answer: (method: string, path: string) => [number, unknown]): Call[] {
  const calls: Call[] = [];
  vi.stubGlobal("fetch", vi.fn(async (req: Request) => {
    const url = new URL(req.url, "http://x");
    const text = req.method === "GET" ? "" : await req.text();
    calls.push({ method: req.method, path: url.pathname, body: text ? JSON.parse(text) : null,
      key: req.headers.get("Idempotency-Key") });
    const [status, body] = answer(req.method, url.pathname);
    return new Response(JSON.stringify(body), { status,
      headers: { "Content-Type": "application/json" } });
  }));
  return calls;
}

export function renderWithProviders(ui: ReactNode) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(
    <MantineProvider>
      <QueryClientProvider client={client}>
        <RouterProvider router={createMemoryRouter([{ path: "*", element: ui }])} />
      </QueryClientProvider>
    </MantineProvider>,
  );
}
