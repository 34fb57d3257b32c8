/** Portal help for a caller: their portal logins (resend the confirmation, unlock, turn off a
 * lost second factor) and autopay. */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";

import type { components } from "@/api/schema";
import { api, unwrap } from "@/lib/api";
import { ApiProblem } from "@/lib/problem";

export type PortalLogin = components["schemas"]["PortalLoginOut"];
export type Enrolment = components["schemas"]["services__payments__autopay__schemas__EnrolmentOut"];

const keyed = (key: string) => ({ "Idempotency-Key": key });

export function usePortalLogins(accountId: string, enabled: boolean) {
  return useQuery({
    queryKey: ["portal-logins", accountId],
    enabled,
    queryFn: async () => unwrap(await api.GET("/api/portal/logins",
      { params: { query: { account_id: accountId } } })),
  });
}

export function usePortalLoginAction(accountId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async ({ loginId, action, key }: {
      loginId: string; action: "resend" | "unlock"; key: string;
    }) => unwrap(action === "resend"
      ? await api.POST("/api/portal/logins/{login_id}/resend-verification", {
        params: { path: { login_id: loginId } }, headers: keyed(key) })
      : await api.POST("/api/portal/logins/{login_id}/unlock", {
        params: { path: { login_id: loginId } }, headers: keyed(key) })),
    onSuccess: () => client.invalidateQueries({ queryKey: ["portal-logins", accountId] }),
  });
}

/** A lost authenticator app: staff turn the login's second factor off, saying why. */
export function useSecondFactorOff(accountId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async ({ loginId, reason, key }: { loginId: string; reason: string; key: string }) =>
      unwrap(await api.POST("/api/portal/logins/{login_id}/second-factor/off", {
        params: { path: { login_id: loginId } }, body: { reason }, headers: keyed(key) })),
    onSuccess: () => client.invalidateQueries({ queryKey: ["portal-logins", accountId] }),
  });
}

/** The account's autopay enrolment; null when it never had one (a 404 is an answer here). */
export function useAutopay(accountId: string, enabled: boolean) {
  return useQuery({
    queryKey: ["autopay", accountId],
    enabled,
    meta: { quiet: true },
    queryFn: async () => {
      try {
        return unwrap(await api.GET("/api/payments/autopay/accounts/{account_id}",
          { params: { path: { account_id: accountId } } }));
      } catch (e) {
        if (e instanceof ApiProblem && e.status === 404) return null;
        throw e;
      }
    },
  });
}

export function useCancelAutopay(accountId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async ({ reason, key }: { reason: string; key: string }) =>
      unwrap(await api.POST("/api/payments/autopay/accounts/{account_id}/cancel", {
        params: { path: { account_id: accountId } }, body: { reason }, headers: keyed(key) })),
    onSuccess: () => client.invalidateQueries({ queryKey: ["autopay", accountId] }),
  });
}
