/**
 * The customer's session. The refresh token lives in the portal's own HttpOnly, SameSite=Strict
 * cookie (`X-Tapline-Session: portal` on login, refresh and logout), out of every script's reach.
 * Unlike the staff app (access token in this tab's memory only), the portal keeps its access
 * token in this tab's sessionStorage: paying sends the customer to the processor's hosted page
 * and back, a full page load that would otherwise log them out mid-payment (an access token
 * that expired meanwhile is renewed from the cookie). sessionStorage is this tab's alone and is
 * cleared when the tab closes; logout clears it, ends the refresh token on the server and clears
 * the cookie.
 */
import { useSyncExternalStore } from "react";

/** Asks the gateway for the portal's refresh cookie (and is its CSRF guard). */
export const PORTAL_SESSION_HEADER = { "X-Tapline-Session": "portal" } as const;

export interface PortalSession {
  accessToken: string;
  /** The account ids the token names (a login may hold several accounts). */
  accounts: string[];
  email: string;
  expiresAt: number;
}

const KEY = "tapline.portal.session";
const listeners = new Set<() => void>();
let current: PortalSession | null = load();
let refreshing: Promise<boolean> | null = null;

function load(): PortalSession | null {
  try {
    const raw = globalThis.sessionStorage?.getItem(KEY);
    return raw ? (JSON.parse(raw) as PortalSession) : null;
  } catch {
    return null;
  }
}

/** The `accounts` claim of an access token (the signature is the server's to check). */
export function accountsOf(token: string): string[] {
  try {
    const part = token.split(".")[1] ?? "";
    const json = atob(part.replace(/-/g, "+").replace(/_/g, "/"));
    const claims = JSON.parse(json) as { accounts?: unknown };
    return Array.isArray(claims.accounts) ? claims.accounts.map(String) : [];
  } catch {
    return [];
  }
}

export function getPortalSession(): PortalSession | null {
  return current;
}

export function setPortalSession(next: PortalSession | null): void {
  current = next;
  try {
    if (next) sessionStorage.setItem(KEY, JSON.stringify(next));
    else sessionStorage.removeItem(KEY);
  } catch {
    // storage unavailable: the session lives in memory only
  }
  for (const l of listeners) l();
}

export interface Tokens {
  access_token: string;
  /** Null: the gateway kept it in the portal's cookie. */
  refresh_token?: string | null;
  expires_in: number;
}

export function sessionFromTokens(t: Tokens, email: string): PortalSession {
  return { accessToken: t.access_token, accounts: accountsOf(t.access_token), email,
    expiresAt: Date.now() + t.expires_in * 1000 };
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function usePortalSession(): PortalSession | null {
  return useSyncExternalStore(subscribe, getPortalSession, getPortalSession);
}

/** Trade the refresh cookie once for new tokens; concurrent callers share the exchange. */
export function refreshPortalSession(): Promise<boolean> {
  if (refreshing) return refreshing;
  const was = current;
  if (!was) return Promise.resolve(false);
  refreshing = (async () => {
    try {
      const res = await fetch("/api/auth/refresh", {
        method: "POST", headers: { ...PORTAL_SESSION_HEADER }, credentials: "same-origin",
      });
      if (!res.ok) {
        if (current === was) setPortalSession(null);
        return false;
      }
      if (current === was) setPortalSession(sessionFromTokens((await res.json()) as Tokens, was.email));
      return true;
    } catch {
      return false;
    } finally {
      refreshing = null;
    }
  })();
  return refreshing;
}

export async function portalLogout(): Promise<void> {
  const was = current;
  setPortalSession(null);
  if (!was) return;
  try {
    await fetch("/api/auth/logout", {
      method: "POST", headers: { ...PORTAL_SESSION_HEADER }, credentials: "same-origin",
    });
  } catch {
    // gone from this tab; it expires on its own
  }
}
