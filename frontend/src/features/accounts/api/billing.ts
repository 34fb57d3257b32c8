/** Account 360's billing side: bills and their explanation, appeals, adjustments, transfers. */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";

import type { components } from "@/api/schema";
import { api, unwrap } from "@/lib/api";

type S = components["schemas"];
export type AccountBill = S["AccountBill"];
export type Appeal = S["AppealOut"];
export type Adjustment = S["AdjustmentOut"];
export type AdjustmentIn = S["AdjustmentIn"];
export type ReasonCode = AdjustmentIn["reason_code"];
export type Me = S["Me"];

const keyed = (key: string) => ({ "Idempotency-Key": key });

/** Who is logged in and their dollar authority (configured per role, enforced by billing). */
export function useMe() {
  return useQuery({
    queryKey: ["me"],
    staleTime: 5 * 60_000,
    queryFn: async () => unwrap(await api.GET("/api/auth/me")),
  });
}

/** Issued bills of the last 24 months (a year beside the year before), newest first. */
export function useAccountBills(accountId: string | undefined) {
  return useQuery({
    queryKey: ["bills", accountId],
    enabled: !!accountId,
    queryFn: async () => unwrap(await api.GET("/api/billing/bills/accounts/{account_id}",
      { params: { path: { account_id: accountId! } } })),
  });
}

export function useExplanation(billId: string | null) {
  return useQuery({
    queryKey: ["explain", billId],
    enabled: !!billId,
    staleTime: Infinity,
    queryFn: async () => unwrap(await api.GET("/api/billing/bills/{bill_id}/explain",
      { params: { path: { bill_id: billId! } } })),
  });
}

export function useAppeals(accountId: string | undefined, enabled: boolean) {
  return useQuery({
    queryKey: ["appeals", accountId],
    enabled: !!accountId && enabled,
    queryFn: async () => unwrap(await api.GET("/api/billing/appeals",
      { params: { query: { account_id: accountId! } } })),
  });
}

function useBillingRefresh(accountId: string) {
  const client = useQueryClient();
  return () => Promise.all(["appeals", "adjustments", "ledger", "bills", "aging"].map(
    (k) => client.invalidateQueries({ queryKey: [k, accountId] })));
}

export function useOpenAppeal(accountId: string) {
  const refresh = useBillingRefresh(accountId);
  return useMutation({
    mutationFn: async ({ billId, complaint, key }: {
      billId: string; complaint: string; key: string;
    }) => unwrap(await api.POST("/api/billing/appeals", {
      body: { bill_id: billId, complaint }, headers: keyed(key) })),
    onSuccess: refresh,
  });
}

export function useInvestigateAppeal(accountId: string) {
  const refresh = useBillingRefresh(accountId);
  return useMutation({
    mutationFn: async ({ appealId, key }: { appealId: string; key: string }) =>
      unwrap(await api.POST("/api/billing/appeals/{appeal_id}/investigate", {
        params: { path: { appeal_id: appealId } }, headers: keyed(key) })),
    onSuccess: refresh,
  });
}

export function useDecideAppeal(accountId: string) {
  const refresh = useBillingRefresh(accountId);
  return useMutation({
    mutationFn: async ({ appealId, repaired, notes, key }: {
      appealId: string; repaired: boolean; notes: string; key: string;
    }) => unwrap(await api.POST("/api/billing/appeals/{appeal_id}/decide", {
      params: { path: { appeal_id: appealId } }, body: { repaired, notes },
      headers: keyed(key) })),
    onSuccess: refresh,
  });
}

export function useAdjustments(accountId: string | undefined) {
  return useQuery({
    queryKey: ["adjustments", accountId],
    enabled: !!accountId,
    queryFn: async () => unwrap(await api.GET("/api/billing/adjustments",
      { params: { query: { account_id: accountId! } } })),
  });
}

export function useRequestAdjustment(accountId: string) {
  const refresh = useBillingRefresh(accountId);
  return useMutation({
    mutationFn: async ({ body, key }: { body: AdjustmentIn; key: string }) =>
      unwrap(await api.POST("/api/billing/adjustments", { body, headers: keyed(key) })),
    onSuccess: refresh,
  });
}

export function useBalanceTransfer(accountId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async ({ body, key }: { body: S["BillingTransferIn"]; key: string }) =>
      unwrap(await api.POST("/api/billing/ledger/transfers", { body, headers: keyed(key) })),
    onSuccess: () => client.invalidateQueries({ queryKey: ["ledger"] }).then(
      () => client.invalidateQueries({ queryKey: ["aging", accountId] })),
  });
}
