/** Billing's usage for the customer's account: hourly and daily series, this period against
 * last year, the bill projection, leak alerts and how to hear of them, Green Button files. */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";

import { portalApi, unwrap } from "../lib/client";
import type {
  AlertPreferences, AlertPreferencesOut, Comparison, DailySeries, HourlySeries, LeakAlert, Projection,
} from "./types";

export type { AlertPreferences, Comparison, DailySeries, HourlySeries, LeakAlert, Projection } from "./types";

/** TODO(portal-usage merge): these paths join the generated client when billing's usage
 * endpoints land on main; until then they are typed by ./types (its schemas, by hand). */
const usageApi = portalApi as unknown as {
  GET: (path: string, init: unknown) => Promise<{ data?: unknown; error?: unknown; response: Response }>;
  PUT: (path: string, init: unknown) => Promise<{ data?: unknown; error?: unknown; response: Response }>;
};
const typed = async <T,>(answer: Promise<{ data?: unknown; error?: unknown; response: Response }>) =>
  unwrap(await answer) as T;

const opts = (account_id: string, query?: Record<string, string>) =>
  ({ params: { path: { account_id }, query } });

export function useHourly(accountId: string, start: string, end: string) {
  return useQuery({
    queryKey: ["portal", "usage", "hourly", accountId, start, end],
    enabled: !!accountId,
    queryFn: () => typed<HourlySeries>(usageApi.GET("/api/billing/usage/accounts/{account_id}/hourly",
      opts(accountId, { start, end }))),
  });
}

export function useDaily(accountId: string, start: string, end: string) {
  return useQuery({
    queryKey: ["portal", "usage", "daily", accountId, start, end],
    enabled: !!accountId,
    queryFn: () => typed<DailySeries>(usageApi.GET("/api/billing/usage/accounts/{account_id}/daily",
      opts(accountId, { start, end }))),
  });
}

export function useComparison(accountId: string) {
  return useQuery({
    queryKey: ["portal", "usage", "comparison", accountId],
    enabled: !!accountId,
    meta: { quiet: true },
    queryFn: () => typed<Comparison>(usageApi.GET(
      "/api/billing/usage/accounts/{account_id}/comparison", opts(accountId))),
  });
}

export function useProjection(accountId: string) {
  return useQuery({
    queryKey: ["portal", "usage", "projection", accountId],
    enabled: !!accountId,
    meta: { quiet: true },
    queryFn: () => typed<Projection>(usageApi.GET(
      "/api/billing/usage/accounts/{account_id}/projection", opts(accountId))),
  });
}

export function useLeaks(accountId: string, status?: "open" | "ended") {
  return useQuery({
    queryKey: ["portal", "usage", "leaks", accountId, status],
    enabled: !!accountId,
    meta: { quiet: true },
    queryFn: () => typed<LeakAlert[]>(usageApi.GET("/api/billing/usage/accounts/{account_id}/leaks",
      { params: { path: { account_id: accountId }, query: status ? { status } : {} } })),
  });
}

export function useAlertPreferences(accountId: string) {
  return useQuery({
    queryKey: ["portal", "usage", "prefs", accountId],
    enabled: !!accountId,
    queryFn: () => typed<AlertPreferencesOut>(usageApi.GET(
      "/api/billing/usage/accounts/{account_id}/alert-preferences", opts(accountId))),
  });
}

export function useSaveAlertPreferences(accountId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: AlertPreferences) => typed<AlertPreferencesOut>(usageApi.PUT(
      "/api/billing/usage/accounts/{account_id}/alert-preferences", { ...opts(accountId), body })),
    onSuccess: (saved) => qc.setQueryData(["portal", "usage", "prefs", accountId], saved),
  });
}

export function greenButtonPath(accountId: string, format: "xml" | "csv", start: string,
                                end: string): string {
  return `/api/billing/usage/accounts/${accountId}/green-button.${format}?start=${start}&end=${end}`;
}
