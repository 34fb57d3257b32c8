/**
 * The portal's API client: the same generated types as the staff app, with the customer's
 * session. Portal hooks call `portalApi` and `unwrap`; components never call fetch.
 */
import createClient from "openapi-fetch";

import type { paths } from "@/api/schema";
import { idempotency, sessionFetch } from "@/lib/api";
import { ApiProblem, toProblem } from "@/lib/problem";

import { getPortalSession, refreshPortalSession } from "./session";

export { unwrap } from "@/lib/api";

const ORIGIN = globalThis.location?.origin ?? "";

/** fetch with the customer's token; on a 401, one refresh and one more try. */
export const portalFetch = sessionFetch(() => getPortalSession()?.accessToken,
                                        refreshPortalSession);

export const portalApi = createClient<paths, "application/json">({ baseUrl: ORIGIN,
  fetch: portalFetch });
portalApi.use(idempotency);

/** A file (statement PDF, Green Button data) fetched with the token: opened or saved. */
export async function download(path: string, filename?: string): Promise<void> {
  const response = await portalFetch(new Request(ORIGIN + path));
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
  if (filename) {
    const a = document.createElement("a");
    a.href = url;
    a.download = filename;
    document.body.appendChild(a);
    a.click();
    a.remove();
  } else {
    window.open(url, "_blank", "noopener");
  }
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
