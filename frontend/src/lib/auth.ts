/**
 * The staff session: the access token in this tab's memory, the refresh token in a cookie.
 *
 * Login, refresh and logout send `X-Tapline-Session: staff`; the gateway then keeps the refresh
 * token in an HttpOnly, SameSite=Strict cookie on `/api/auth` that no script on the page can
 * read, and answers `refresh_token: null`. The access token is never written to localStorage or
 * sessionStorage, where any script could read it (after logout, too); a reload or a new tab asks
 * for the password again. The access token lives 15 minutes; on a 401 the client trades the
 * cookie for new tokens once (rotation: the old refresh token stops working) and repeats the
 * request. Logout ends the refresh token's whole family on the server and clears the cookie.
 * See docs/frontend.md, "Auth" and "Refresh cookie".
 */
import { useSyncExternalStore } from "react";

import type { components } from "@/api/schema";
import { ApiProblem, toProblem } from "@/lib/problem";

export type TokenResponse = components["schemas"]["TokenResponse"];

/** The header that asks the gateway for the staff app's refresh cookie (and is its CSRF guard). */
export const SESSION_HEADER = { "X-Tapline-Session": "staff" } as const;

export interface Session {
  accessToken: string;
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
  return { accessToken: t.access_token, role: t.role, username,
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
    headers: { "Content-Type": "application/x-www-form-urlencoded", ...SESSION_HEADER },
    credentials: "same-origin",
    body: new URLSearchParams({ grant_type: "password", username, password }),
  });
  if (!res.ok) throw await failure(res);
  const next = fromTokens((await res.json()) as TokenResponse, username);
  setSession(next);
  return next;
}

/**
 * Trade the refresh cookie for new tokens. Concurrent callers (several requests that got 401
 * together) share one exchange: a refresh token works once, a second use would end the session.
 */
export function refreshSession(): Promise<boolean> {
  if (refreshing) return refreshing;
  const current = session;
  if (!current) return Promise.resolve(false);
  refreshing = (async () => {
    try {
      const res = await fetch("/api/auth/refresh", {
        method: "POST", headers: { ...SESSION_HEADER }, credentials: "same-origin",
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
      method: "POST", headers: { ...SESSION_HEADER }, credentials: "same-origin",
    });
  } catch {
    // Offline: the session is gone from memory; the cookie's token expires on its own.
  }
}

/**
 * For tests: forget everything, or start from `next`. A `refreshToken` some tests still pass
 * (from when the app held it) is dropped: the refresh token lives in the cookie now.
 */
export function resetAuthForTests(next: (Session & { refreshToken?: string }) | null = null): void {
  if (next) {
    const { refreshToken: _dropped, ...kept } = next;
    session = kept;
  } else {
    session = null;
  }
  ended = null;
  refreshing = null;
  emit();
}
