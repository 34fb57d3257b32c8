/**
 * The customer's session. Unlike the staff app (tokens in this tab's memory only), the portal
 * keeps its tokens in this tab's sessionStorage: paying sends the customer to the processor's
 * hosted page and back, a full page load that would otherwise log them out mid-payment.
 * sessionStorage is this tab's alone and is cleared when the tab closes; logout clears it and
 * ends the refresh token on the server.
 */
import { useSyncExternalStore } from "react";

export interface PortalSession {
  accessToken: string;
  refreshToken: string;
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
  refresh_token: string;
  expires_in: number;
}

export function sessionFromTokens(t: Tokens, email: string): PortalSession {
  return { accessToken: t.access_token, refreshToken: t.refresh_token,
    accounts: accountsOf(t.access_token), email, expiresAt: Date.now() + t.expires_in * 1000 };
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function usePortalSession(): PortalSession | null {
  return useSyncExternalStore(subscribe, getPortalSession, getPortalSession);
}

/** Trade the refresh token once for new tokens; concurrent callers share the exchange. */
export function refreshPortalSession(): Promise<boolean> {
  if (refreshing) return refreshing;
  const was = current;
  if (!was) return Promise.resolve(false);
  refreshing = (async () => {
    try {
      const res = await fetch("/api/auth/refresh", {
        method: "POST", headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ refresh_token: was.refreshToken }),
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
      method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ refresh_token: was.refreshToken }),
    });
  } catch {
    // gone from this tab; it expires on its own
  }
}
