/** Customer service writes on Account 360: edits, identity, start/stop/transfer, letters. */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";

import type { components } from "@/api/schema";
import { api, unwrap } from "@/lib/api";

type S = components["schemas"];
export type CustomerPatch = S["CustomerPatch"];
export type AccountPatch = S["AccountPatch"];
export type StartServiceIn = S["StartServiceIn"];
export type StartServiceOut = S["StartServiceOut"];
export type StopServiceIn = S["StopServiceIn"];
export type StopServiceOut = S["StopServiceOut"];
export type TransferServiceIn = S["TransferIn"];
export type TransferServiceOut = S["TransferOut"];
export type Device = S["DeviceOut"];
export type Order = S["OrderOut"];
export type Document = S["DocumentOut"];
export type LetterIn = S["LetterIn"];
export type DepositStatus = S["DepositOut"];
export type SearchHit = S["SearchHit"];

const keyed = (key: string) => ({ "Idempotency-Key": key });

/** Everything about an account a write may have changed: refetch it all (cheap, one page). */
function useRefreshAll() {
  const client = useQueryClient();
  return () => client.invalidateQueries();
}

export function useUpdateCustomer(customerId: string) {
  const refresh = useRefreshAll();
  return useMutation({
    mutationFn: async ({ body, key }: { body: CustomerPatch; key: string }) =>
      unwrap(await api.PATCH("/api/accounts/customers/{customer_id}", {
        params: { path: { customer_id: customerId } }, body, headers: keyed(key) })),
    onSuccess: refresh,
  });
}

export function useUpdateAccount(accountId: string) {
  const refresh = useRefreshAll();
  return useMutation({
    mutationFn: async ({ body, key }: { body: AccountPatch; key: string }) =>
      unwrap(await api.PATCH("/api/accounts/accounts/{account_id}", {
        params: { path: { account_id: accountId } }, body, headers: keyed(key) })),
    onSuccess: refresh,
  });
}

export function useIdentityCheck(customerId: string) {
  return useMutation({
    mutationFn: async ({ last4, key }: { last4: string; key: string }) =>
      unwrap(await api.POST("/api/accounts/customers/{customer_id}/identity-check", {
        params: { path: { customer_id: customerId } }, body: { id_number_last4: last4 },
        headers: keyed(key) })),
  });
}

export function useStartService() {
  const refresh = useRefreshAll();
  return useMutation({
    mutationFn: async ({ body, key }: { body: StartServiceIn; key: string }) =>
      unwrap(await api.POST("/api/accounts/agreements/start", { body, headers: keyed(key) })),
    onSuccess: refresh,
  });
}

export function useStopService() {
  const refresh = useRefreshAll();
  return useMutation({
    mutationFn: async ({ body, key }: { body: StopServiceIn; key: string }) =>
      unwrap(await api.POST("/api/accounts/agreements/stop", { body, headers: keyed(key) })),
    onSuccess: refresh,
  });
}

export function useTransferService() {
  const refresh = useRefreshAll();
  return useMutation({
    mutationFn: async ({ body, key }: { body: TransferServiceIn; key: string }) =>
      unwrap(await api.POST("/api/accounts/agreements/transfer", { body, headers: keyed(key) })),
    onSuccess: refresh,
  });
}

/** Premises only, as the CSR types an address, APN or meter serial (for start and transfer). */
export function usePremiseSearch(q: string) {
  const query = q.trim();
  return useQuery({
    queryKey: ["premise-search", query],
    enabled: query.length >= 2,
    staleTime: 10_000,
    meta: { quiet: true },
    queryFn: async ({ signal }) => unwrap(await api.GET("/api/accounts/search", {
      params: { query: { q: query, entity: "premise", limit: 8 } }, signal })),
  });
}

export function useBackflow(premiseId: string | undefined) {
  return useQuery({
    queryKey: ["backflow", premiseId],
    enabled: !!premiseId,
    queryFn: async () => unwrap(await api.GET("/api/accounts/backflow/at-premise/{premise_id}",
      { params: { path: { premise_id: premiseId! } } })),
  });
}

export function useOrders(accountId: string | undefined) {
  return useQuery({
    queryKey: ["orders", accountId],
    enabled: !!accountId,
    queryFn: async () => unwrap(await api.GET("/api/accounts/orders",
      { params: { query: { account_id: accountId! } } })),
  });
}

export function useDocuments(accountId: string | undefined) {
  return useQuery({
    queryKey: ["documents", accountId],
    enabled: !!accountId,
    queryFn: async () => unwrap(await api.GET("/api/accounts/contacts/{account_id}/documents",
      { params: { path: { account_id: accountId! } } })),
  });
}

export function useSendLetter(accountId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async ({ body, key }: { body: LetterIn; key: string }) =>
      unwrap(await api.POST("/api/accounts/contacts/{account_id}/letters", {
        params: { path: { account_id: accountId } }, body, headers: keyed(key) })),
    onSuccess: () => client.invalidateQueries({ queryKey: ["documents", accountId] }),
  });
}

export function useDeposit(accountId: string | undefined) {
  return useQuery({
    queryKey: ["deposit", accountId],
    enabled: !!accountId,
    queryFn: async () => unwrap(await api.GET("/api/accounts/deposits/{account_id}",
      { params: { path: { account_id: accountId! } } })),
  });
}

export function useReleaseDeposit(accountId: string) {
  const refresh = useRefreshAll();
  return useMutation({
    mutationFn: async ({ body, key }: { body: S["ReleaseIn"]; key: string }) =>
      unwrap(await api.POST("/api/accounts/deposits/{account_id}/release", {
        params: { path: { account_id: accountId } }, body, headers: keyed(key) })),
    onSuccess: refresh,
  });
}

/** The customer's other accounts (balance transfers go between a customer's accounts). */
export function useCustomerAccounts(customerId: string | undefined) {
  return useQuery({
    queryKey: ["customer-accounts", customerId],
    enabled: !!customerId,
    queryFn: async () => unwrap(await api.GET("/api/accounts/customers/{customer_id}/accounts",
      { params: { path: { customer_id: customerId! } } })),
  });
}
