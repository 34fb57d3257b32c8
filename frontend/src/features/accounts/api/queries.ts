/** Query hooks for Account 360: each panel reads from the service that owns its data. */
import { useMutation, useQueries, useQuery, useQueryClient } from "@tanstack/react-query";

import type { components } from "@/api/schema";
import { api, unwrap } from "@/lib/api";

type S = components["schemas"];
export type Account = S["AccountOut"];
export type Customer = S["CustomerOut"];
export type Agreement = S["SAOut"];
export type Premise = S["PremiseOut"];
export type Meter = S["MeterOut"];
export type Ledger = S["AccountLedger"];
export type LedgerEntry = S["EntryOut"];
export type Aging = S["AccountAging"];
export type Contact = S["ContactOut"];
export type ContactIn = S["ContactIn"];

export function useAccount(number: string) {
  return useQuery({
    queryKey: ["account", number],
    queryFn: async () => unwrap(await api.GET("/api/accounts/accounts/by-number/{number}",
      { params: { path: { number } } })),
  });
}

export function useCustomer(customerId: string | undefined) {
  return useQuery({
    queryKey: ["customer", customerId],
    enabled: !!customerId,
    queryFn: async () => unwrap(await api.GET("/api/accounts/customers/{customer_id}",
      { params: { path: { customer_id: customerId! } } })),
  });
}

export function useAgreements(accountId: string | undefined) {
  return useQuery({
    queryKey: ["agreements", accountId],
    enabled: !!accountId,
    queryFn: async () => unwrap(await api.GET("/api/accounts/agreements",
      { params: { query: { account_id: accountId! } } })),
  });
}

/** The premises (and the meters at each) that an account's agreements serve. */
export function usePremises(premiseIds: string[]) {
  const premises = useQueries({
    queries: premiseIds.map((id) => ({
      queryKey: ["premise", id],
      queryFn: async () => unwrap(await api.GET("/api/accounts/premises/{premise_id}",
        { params: { path: { premise_id: id } } })),
    })),
  });
  const meters = useQueries({
    queries: premiseIds.map((id) => ({
      queryKey: ["meters-at", id],
      queryFn: async () => unwrap(await api.GET("/api/accounts/meters/at-premise/{premise_id}",
        { params: { path: { premise_id: id } } })),
    })),
  });
  return premiseIds.map((id, i) => ({
    id, premise: premises[i]?.data, meters: meters[i]?.data ?? [],
    loading: !!(premises[i]?.isLoading || meters[i]?.isLoading),
  }));
}

export function useLedger(accountId: string | undefined) {
  return useQuery({
    queryKey: ["ledger", accountId],
    enabled: !!accountId,
    queryFn: async () => unwrap(await api.GET("/api/billing/ledger/accounts/{account_id}",
      { params: { path: { account_id: accountId! } } })),
  });
}

export function useAging(accountId: string | undefined) {
  return useQuery({
    queryKey: ["aging", accountId],
    enabled: !!accountId,
    queryFn: async () => unwrap(await api.GET("/api/collections/accounts/{account_id}/aging",
      { params: { path: { account_id: accountId! } } })),
  });
}

export function useContactLog(accountId: string | undefined) {
  return useQuery({
    queryKey: ["contacts", accountId],
    enabled: !!accountId,
    queryFn: async () => unwrap(await api.GET("/api/accounts/contacts/{account_id}/log",
      { params: { path: { account_id: accountId! }, query: { limit: 50 } } })),
  });
}

export function useLogContact(accountId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async ({ body, key }: { body: ContactIn; key: string }) =>
      unwrap(await api.POST("/api/accounts/contacts/{account_id}/log", {
        params: { path: { account_id: accountId } }, body,
        headers: { "Idempotency-Key": key },
      })),
    onSuccess: () => client.invalidateQueries({ queryKey: ["contacts", accountId] }),
  });
}
