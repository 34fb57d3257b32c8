/**
 * The staff session, held in this tab's memory only.
 *
 * The gateway returns both tokens in the login response body. Neither is written to
 * localStorage or sessionStorage, where any script on the page could read it (after logout, too);
 * a reload or a new tab asks for the password again. The access token lives 15 minutes; on a 401
 * the client trades the refresh token for new ones once (rotation: the old refresh token stops
 * working) and repeats the request. Logout ends the refresh token's whole family on the server.
 * See docs/frontend.md, "Auth".
 */
import { useSyncExternalStore } from "react";

import type { components } from "@/api/schema";
import { ApiProblem, toProblem } from "@/lib/problem";

export type TokenResponse = components["schemas"]["TokenResponse"];

export interface Session {
  accessToken: string;
  refreshToken: string;
  role: string;
  username: string;
  /** Epoch milliseconds at which the access token expires. */
  expiresAt: number;
}

type EndReason = "logout" | "expired" | "idle";

let session: Session | null = null;
let ended: EndReason | null = null;
const listeners = new Set<() => void>();
let refreshing: Promise<boolean> | null = null;

function emit(): void {
  for (const l of listeners) l();
}

export function getSession(): Session | null {
  return session;
}

/** Why the last session ended (shown on the login page), until the next login. */
export function lastEndReason(): EndReason | null {
  return ended;
}

function setSession(next: Session | null, reason: EndReason | null = null): void {
  session = next;
  ended = next ? null : reason;
  emit();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useSession(): Session | null {
  return useSyncExternalStore(subscribe, getSession, getSession);
}

function fromTokens(t: TokenResponse, username: string): Session {
  return { accessToken: t.access_token, refreshToken: t.refresh_token, role: t.role, username,
    expiresAt: Date.now() + t.expires_in * 1000 };
}

async function failure(res: Response): Promise<ApiProblem> {
  let body: unknown = null;
  try {
    body = await res.json();
  } catch {
    body = null;
  }
  return new ApiProblem(toProblem(body, res.status, res.statusText));
}

/** OAuth2 password flow at the gateway; throws an ApiProblem (401 wrong password, 429 locked). */
export async function login(username: string, password: string): Promise<Session> {
  const res = await fetch("/api/auth/token", {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ grant_type: "password", username, password }),
  });
  if (!res.ok) throw await failure(res);
  const next = fromTokens((await res.json()) as TokenResponse, username);
  setSession(next);
  return next;
}

/**
 * Trade the refresh token for new tokens. Concurrent callers (several requests that got 401
 * together) share one exchange: a refresh token works once, a second use would end the session.
 */
export function refreshSession(): Promise<boolean> {
  if (refreshing) return refreshing;
  const current = session;
  if (!current) return Promise.resolve(false);
  refreshing = (async () => {
    try {
      const res = await fetch("/api/auth/refresh", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ refresh_token: current.refreshToken }),
      });
      if (!res.ok) {
        if (session === current) setSession(null, "expired");
        return false;
      }
      if (session === current) {
        setSession(fromTokens((await res.json()) as TokenResponse, current.username));
      }
      return true;
    } catch {
      return false; // offline: keep the session, the next request tries again
    } finally {
      refreshing = null;
    }
  })();
  return refreshing;
}

/** End the session here and on the server (best effort: a dead network still logs out here). */
export async function logout(reason: EndReason = "logout"): Promise<void> {
  const current = session;
  setSession(null, reason);
  if (!current) return;
  try {
    await fetch("/api/auth/logout", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ refresh_token: current.refreshToken }),
    });
  } catch {
    // The refresh token is gone from memory; it expires on its own.
  }
}

/** For tests: forget everything. */
export function resetAuthForTests(next: Session | null = null): void {
  session = next;
  ended = null;
  refreshing = null;
  emit();
}
