/**
 * The customer's identity at the gateway (`/api/portal/...`): register with an account number
 * and a fact from a bill, verify the e-mail by its link, log in (with a TOTP code once set up),
 * reset a password by link, set up TOTP. Like the staff login, these calls are made before
 * (or outside) a session, so they post directly; every other portal call uses `portalApi`.
 */
import { ApiProblem, toProblem } from "@/lib/problem";
import { newId } from "@/lib/ids";

import { portalFetch } from "../lib/client";
import { PORTAL_SESSION_HEADER, sessionFromTokens, setPortalSession, type PortalSession,
  type Tokens } from "../lib/session";

export const IDENTITY = "/api/portal";
const ORIGIN = globalThis.location?.origin ?? "";

async function failure(res: Response): Promise<ApiProblem> {
  let body: unknown = null;
  try {
    body = await res.json();
  } catch {
    body = null;
  }
  return new ApiProblem(toProblem(body, res.status, res.statusText));
}

async function send<T>(path: string, body: unknown, withToken = false): Promise<T> {
  const request = new Request(ORIGIN + path, {
    method: "POST",
    // The portal's session header on every identity call: a sign-in (or a linked account's new
    // tokens) then keeps its refresh token in the portal's HttpOnly cookie.
    headers: { "Content-Type": "application/json", "Idempotency-Key": newId(),
      ...PORTAL_SESSION_HEADER },
    credentials: "same-origin",
    body: JSON.stringify(body),
  });
  const res = withToken ? await portalFetch(request) : await fetch(request);
  if (!res.ok) throw await failure(res);
  const text = await res.text();
  return (text ? JSON.parse(text) : {}) as T;
}

/** A login that needs the second factor answers 401 with this code; the page asks for it. */
export const TOTP_REQUIRED = "totp-required";

export async function logIn(email: string, password: string, totp?: string): Promise<PortalSession> {
  const tokens = await send<Tokens>(`${IDENTITY}/login`,
    { email, password, ...(totp ? { totp_code: totp } : {}) });
  const session = sessionFromTokens(tokens, email);
  setPortalSession(session);
  return session;
}

export interface Registration {
  account_number: string;
  email: string;
  password: string;
  last_bill_amount?: string;
  service_zip?: string;
  language?: string;
}

export function register(body: Registration): Promise<unknown> {
  return send(`${IDENTITY}/register`, body);
}

export function verifyEmail(token: string): Promise<unknown> {
  return send(`${IDENTITY}/verify`, { token });
}

export function requestReset(email: string, language: string): Promise<unknown> {
  return send(`${IDENTITY}/password/forgot`, { email, language });
}

export function confirmReset(token: string, password: string): Promise<unknown> {
  return send(`${IDENTITY}/password/reset`, { token, password });
}

export interface TotpSetup {
  secret: string;
  otpauth_uri: string;
  /** The set-up URI as an SVG QR code (a data URI), drawn by the server. */
  qr_code: string;
}

export function startTotp(): Promise<TotpSetup> {
  return send<TotpSetup>(`${IDENTITY}/totp/setup`, {}, true);
}

export function confirmTotp(code: string): Promise<unknown> {
  return send(`${IDENTITY}/totp/enable`, { code }, true);
}

export function linkAccount(body: Omit<Registration, "email" | "password">): Promise<Tokens> {
  return send<Tokens>(`${IDENTITY}/accounts`, body, true);
}
