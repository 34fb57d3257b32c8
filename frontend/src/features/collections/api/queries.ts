/**
 * Collections (issue 10's service): the call list, accounts' collections facts, arrangements,
 * protections. Supervisor views, closed accounts, liens and the daily job: `./supervisor.ts`.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";

import type { components } from "@/api/schema";
import { api, unwrap } from "@/lib/api";

type S = components["schemas"];
export type CallListItem = S["CallListItem"];
export type CallIn = S["CallIn"];
export type Outcome = CallIn["outcome"];
export type CallOut = S["CallOut"];
export type PromiseOut = S["PromiseOut"];
export type ArrangementIn = S["ArrangementIn"];
export type Arrangement = S["ArrangementOut"];
export type ArrangementRow = S["ListedOut"];
export type ProtectionsIn = S["ProtectionsIn"];
export type Protections = S["ProtectionsOut"];
export type Guardrails = S["GuardrailStatus"];
export type Aging = S["AccountAging"];

export interface CallFilter {
  minDays?: number;
  minAmount?: string;
  cycle?: string;
  includeArranged?: boolean;
  offset: number;
}

export const PAGE = 50;

/** Past-due accounts to call, most days past due first (one statement, paged on the server). */
export function useCallList(filter: CallFilter) {
  return useQuery({
    queryKey: ["collections", "calls", filter],
    placeholderData: (previous) => previous,
    queryFn: async () => unwrap(await api.GET("/api/collections/worklists/calls", {
      params: { query: {
        min_days: filter.minDays, min_amount: filter.minAmount || undefined,
        cycle: filter.cycle || undefined, include_arranged: filter.includeArranged ?? false,
        limit: PAGE, offset: filter.offset,
      } },
    })),
  });
}

export function useRecordCall(accountId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async ({ body, key }: { body: CallIn; key: string }) =>
      unwrap(await api.POST("/api/collections/accounts/{account_id}/calls", {
        params: { path: { account_id: accountId }, header: { "Idempotency-Key": key } }, body,
      })),
    onSuccess: () => client.invalidateQueries({ queryKey: ["collections"] }),
  });
}

export function useCalls(accountId: string) {
  return useQuery({
    queryKey: ["collections", "account", accountId, "calls"],
    queryFn: async () => unwrap(await api.GET("/api/collections/accounts/{account_id}/calls",
      { params: { path: { account_id: accountId } } })),
  });
}

export function usePromises(accountId: string) {
  return useQuery({
    queryKey: ["collections", "account", accountId, "promises"],
    queryFn: async () => unwrap(await api.GET("/api/collections/accounts/{account_id}/promises",
      { params: { path: { account_id: accountId } } })),
  });
}

export function useCancelPromise() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async ({ id, reason }: { id: string; reason: string }) =>
      unwrap(await api.POST("/api/collections/promises/{promise_id}/cancel", {
        params: { path: { promise_id: id } }, body: { reason },
      })),
    onSuccess: () => client.invalidateQueries({ queryKey: ["collections"] }),
  });
}

/** The account as collections' copy has it (name, language, premises). */
export function useCollectionsAccount(accountId: string) {
  return useQuery({
    queryKey: ["collections", "account", accountId],
    queryFn: async () => unwrap(await api.GET("/api/collections/accounts/{account_id}",
      { params: { path: { account_id: accountId } } })),
  });
}

export function useAging(accountId: string) {
  return useQuery({
    queryKey: ["collections", "account", accountId, "aging"],
    queryFn: async () => unwrap(await api.GET("/api/collections/accounts/{account_id}/aging",
      { params: { path: { account_id: accountId } } })),
  });
}

export function useGuardrails(accountId: string) {
  return useQuery({
    queryKey: ["collections", "account", accountId, "guardrails"],
    queryFn: async () => unwrap(await api.GET(
      "/api/collections/accounts/{account_id}/guardrails",
      { params: { path: { account_id: accountId }, query: { action: "create" } } })),
  });
}

export function useAccountArrangements(accountId: string) {
  return useQuery({
    queryKey: ["collections", "account", accountId, "arrangements"],
    queryFn: async () => unwrap(await api.GET(
      "/api/collections/accounts/{account_id}/arrangements",
      { params: { path: { account_id: accountId } } })),
  });
}

export function useMakeArrangement(accountId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async ({ body, key }: { body: ArrangementIn; key: string }) =>
      unwrap(await api.POST("/api/collections/accounts/{account_id}/arrangements", {
        params: { path: { account_id: accountId }, header: { "Idempotency-Key": key } }, body,
      })),
    onSuccess: () => client.invalidateQueries({ queryKey: ["collections"] }),
  });
}

export function useCancelArrangement() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async ({ id, reason }: { id: string; reason: string }) =>
      unwrap(await api.POST("/api/collections/arrangements/{arrangement_id}/cancel", {
        params: { path: { arrangement_id: id } }, body: { reason },
      })),
    onSuccess: () => client.invalidateQueries({ queryKey: ["collections"] }),
  });
}

/** Arrangements to watch: a status, the ones behind the longest first. */
export function useArrangements(status: string, behind: boolean, offset: number) {
  return useQuery({
    queryKey: ["collections", "arrangements", status, behind, offset],
    placeholderData: (previous) => previous,
    queryFn: async () => unwrap(await api.GET("/api/collections/arrangements", {
      params: { query: {
        status: status as "active", behind, limit: PAGE, offset,
      } },
    })),
  });
}

export function useProtections(accountId: string) {
  return useQuery({
    queryKey: ["collections", "account", accountId, "protections"],
    queryFn: async () => unwrap(await api.GET(
      "/api/collections/accounts/{account_id}/protections",
      { params: { path: { account_id: accountId } } })),
  });
}

export function useRecordProtections(accountId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async ({ body, key }: { body: ProtectionsIn; key: string }) =>
      unwrap(await api.POST("/api/collections/accounts/{account_id}/protections", {
        params: { path: { account_id: accountId } }, body, headers: { "Idempotency-Key": key },
      })),
    onSuccess: () => client.invalidateQueries({ queryKey: ["collections", "account", accountId] }),
  });
}

/** The policy's longest arrangement in months (`arrangements.default_months`; 12 when unread). */
export function useDefaultMonths(): number {
  const policy = useQuery({
    queryKey: ["collections", "policy"],
    staleTime: 3_600_000,
    queryFn: async () => unwrap(await api.GET("/api/collections/policy")),
  });
  const months = (policy.data?.policy.arrangements as { default_months?: unknown } | undefined)
    ?.default_months;
  return typeof months === "number" && months > 0 ? months : 12;
}

/** Ask the field for a reconnect (refused while anything is past due without an arrangement). */
export function useRequestReconnect(accountId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async ({ afterHours, key }: { afterHours: boolean; key: string }) =>
      unwrap(await api.POST("/api/collections/field/reconnects", {
        body: { account_id: accountId, after_hours: afterHours }, headers: { "Idempotency-Key": key },
      })),
    onSuccess: () => client.invalidateQueries({ queryKey: ["collections", "account", accountId] }),
  });
}

// ---- late charges and their reversal ---------------------------------------------------------

export type LateCharge = S["CollectionsChargeOut"];
export type Reversal = S["ReversalOut"];

export function useLateCharges(accountId: string) {
  return useQuery({
    queryKey: ["collections", "late-charges", accountId],
    queryFn: async () => unwrap(await api.GET("/api/collections/accounts/{account_id}/late-charges",
      { params: { path: { account_id: accountId } } })),
  });
}

/** Reverse a late charge: within the clerk's authority at once, above it a request that waits
 * in the supervisor's approvals inbox (the server decides; the answer's status says which). */
export function useReverseLateCharge() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async ({ noticeId, reason, amount, key }: {
      noticeId: string; reason: string; amount?: string; key: string;
    }) => unwrap(await api.POST("/api/collections/late-charges/{notice_id}/reversals", {
      params: { path: { notice_id: noticeId }, header: { "Idempotency-Key": key } },
      body: { reason, amount: amount || undefined },
    })),
    onSuccess: () => client.invalidateQueries({ queryKey: ["collections"] }),
  });
}
