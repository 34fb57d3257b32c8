/** Billing's usage for the customer's account: hourly and daily series, this period against
 * last year, the bill projection, leak alerts and how to hear of them, Green Button files. */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";

import type { components } from "@/api/schema";

import { portalApi, unwrap } from "../lib/client";

type S = components["schemas"];
export type HourlySeries = S["HourlySeries"];
export type DailySeries = S["DailySeries"];
export type Comparison = S["Comparison"];
export type Projection = S["Projection"];
export type LeakAlert = S["LeakAlert"];
export type AlertPreferences = S["AlertPreferences"];

const opts = (account_id: string) => ({ params: { path: { account_id } } });

export function useHourly(accountId: string, start: string, end: string) {
  return useQuery({
    queryKey: ["portal", "usage", "hourly", accountId, start, end],
    enabled: !!accountId,
    queryFn: async () => unwrap(await portalApi.GET("/api/billing/usage/accounts/{account_id}/hourly",
      { params: { path: { account_id: accountId }, query: { start, end } } })),
  });
}

export function useDaily(accountId: string, start: string, end: string) {
  return useQuery({
    queryKey: ["portal", "usage", "daily", accountId, start, end],
    enabled: !!accountId,
    queryFn: async () => unwrap(await portalApi.GET("/api/billing/usage/accounts/{account_id}/daily",
      { params: { path: { account_id: accountId }, query: { start, end } } })),
  });
}

export function useComparison(accountId: string) {
  return useQuery({
    queryKey: ["portal", "usage", "comparison", accountId],
    enabled: !!accountId,
    meta: { quiet: true },
    queryFn: async () => unwrap(await portalApi.GET(
      "/api/billing/usage/accounts/{account_id}/comparison", opts(accountId))),
  });
}

export function useProjection(accountId: string) {
  return useQuery({
    queryKey: ["portal", "usage", "projection", accountId],
    enabled: !!accountId,
    meta: { quiet: true },
    retry: false,
    queryFn: async () => unwrap(await portalApi.GET(
      "/api/billing/usage/accounts/{account_id}/projection", opts(accountId))),
  });
}

export function useLeaks(accountId: string, status?: "open" | "ended") {
  return useQuery({
    queryKey: ["portal", "usage", "leaks", accountId, status],
    enabled: !!accountId,
    meta: { quiet: true },
    queryFn: async () => unwrap(await portalApi.GET("/api/billing/usage/accounts/{account_id}/leaks",
      { params: { path: { account_id: accountId }, query: status ? { status } : {} } })),
  });
}

export function useAlertPreferences(accountId: string) {
  return useQuery({
    queryKey: ["portal", "usage", "prefs", accountId],
    enabled: !!accountId,
    queryFn: async () => unwrap(await portalApi.GET(
      "/api/billing/usage/accounts/{account_id}/alert-preferences", opts(accountId))),
  });
}

export function useSaveAlertPreferences(accountId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (body: AlertPreferences) => unwrap(await portalApi.PUT(
      "/api/billing/usage/accounts/{account_id}/alert-preferences", { ...opts(accountId), body })),
    onSuccess: (saved) => qc.setQueryData(["portal", "usage", "prefs", accountId], saved),
  });
}

export function greenButtonPath(accountId: string, format: "xml" | "csv", start: string,
                                end: string): string {
  return `/api/billing/usage/accounts/${accountId}/green-button.${format}?start=${start}&end=${end}`;
}
