/**
 * The one API client: generated types (src/api/schema.d.ts) over openapi-fetch. Components never
 * call `fetch`; feature hooks call `api` and `unwrap` its answer.
 *
 * Every request carries the access token; a 401 refreshes the session once and repeats the
 * request. Every mutation carries an `Idempotency-Key`: the caller's own (`useIdempotencyKey`,
 * kept across a double click and retries of one submission) or a fresh one.
 */
import createClient, { type Middleware } from "openapi-fetch";

import type { paths } from "@/api/schema";
import { getSession, refreshSession } from "@/lib/auth";
import { newId } from "@/lib/ids";
import { ApiProblem, toProblem } from "@/lib/problem";

const SAFE = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * A fetch that sends a session's access token and, on a 401, refreshes once and tries once
 * more (the staff app's session here, the portal's customer session in `portal/lib/client`).
 */
export function sessionFetch(token: () => string | undefined,
                             refresh: () => Promise<boolean>) {
  const authorize = (request: Request): Request => {
    const t = token();
    if (t) request.headers.set("Authorization", `Bearer ${t}`);
    return request;
  };
  return async (request: Request): Promise<Response> => {
    const retry = request.clone();
    const response = await fetch(authorize(request));
    if (response.status !== 401 || !token()) return response;
    if (!(await refresh())) return response;
    return fetch(authorize(retry));
  };
}

/** fetch with the staff session's token; on a 401, one refresh and one more try. */
export const authFetch = sessionFetch(() => getSession()?.accessToken, refreshSession);

export const idempotency: Middleware = {
  onRequest({ request }) {
    if (!SAFE.has(request.method) && !request.headers.has("Idempotency-Key")) {
      request.headers.set("Idempotency-Key", newId());
    }
    return request;
  },
};

/** Same origin as the page: the gateway serves both (the dev server proxies /api to it). */
const ORIGIN = globalThis.location?.origin ?? "";

// JSON is what the app reads: a list route that can also answer CSV (`?format=csv`, a download)
// stays typed as its JSON list.
export const api = createClient<paths, "application/json">({ baseUrl: ORIGIN, fetch: authFetch });
api.use(idempotency);

interface Answer<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** The data of a successful answer; an ApiProblem (RFC 9457, readable) otherwise. */
export function unwrap<T>(answer: Answer<T>): T {
  const { data, error, response } = answer;
  if (!response.ok || error !== undefined) {
    throw new ApiProblem(toProblem(error, response.status, response.statusText));
  }
  return data as T;
}

/** A PDF (statement, receipt) fetched with the token and opened in a new tab. */
export async function openPdf(path: string): Promise<void> {
  const response = await authFetch(new Request(ORIGIN + path, { headers: { Accept: "application/pdf" } }));
  if (!response.ok) {
    let body: unknown = null;
    try {
      body = await response.json();
    } catch {
      body = null;
    }
    throw new ApiProblem(toProblem(body, response.status, response.statusText));
  }
  const url = URL.createObjectURL(await response.blob());
  window.open(url, "_blank", "noopener");
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
