/** The reports the services offer: every service's catalogue (`GET /api/{service}/reports`,
 * each entry a PDF and a CSV by month or year), and the views with their own parameters: aging
 * (collections), end of day (payments), SB 998 disconnections (collections), run register and
 * consumption by class (billing). */
import { useQueries, useQuery } from "@tanstack/react-query";

import type { components } from "@/api/schema";
import { api, unwrap } from "@/lib/api";

export function useAgingReport(asOf: string | null) {
  return useQuery({
    queryKey: ["report", "aging", asOf],
    enabled: asOf !== null,
    queryFn: async () => unwrap(await api.GET("/api/collections/reports/aging",
      { params: { query: { as_of: asOf || undefined } } })),
  });
}

export function useDisconnections(year: number | null) {
  return useQuery({
    queryKey: ["report", "sb998", year],
    enabled: year !== null,
    queryFn: async () => unwrap(await api.GET("/api/collections/reports/sb998-disconnections",
      { params: { query: { year: year! } } })),
  });
}

/** Finalised runs, newest first, to pick a run's reports from. */
export function useFinalRuns(enabled: boolean) {
  return useQuery({
    queryKey: ["report", "final-runs"],
    enabled,
    queryFn: async () => unwrap(await api.GET("/api/billing/runs",
      { params: { query: { status: "finalised", limit: 100 } } })),
  });
}

export function useRunConsumption(runId: string | null) {
  return useQuery({
    queryKey: ["report", "consumption", runId],
    enabled: !!runId,
    queryFn: async () => unwrap(await api.GET("/api/billing/bills/runs/{run_id}/consumption",
      { params: { path: { run_id: runId! } } })),
  });
}

/** Query string of a report's parameters, empty ones left out (the server's default). */
export function reportQuery(params: Record<string, string | number | null | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== null && v !== undefined && String(v) !== "") q.set(k, String(v));
  }
  const s = q.toString();
  return s ? `?${s}` : "";
}

export type Catalogue = components["schemas"]["Catalogue"];
export type CatalogueEntry = components["schemas"]["CatalogueEntry"];
export const REPORT_SERVICES = ["billing", "payments", "collections", "accounts"] as const;
export type ReportService = (typeof REPORT_SERVICES)[number];

async function catalogue(service: ReportService): Promise<Catalogue> {
  switch (service) {
    case "billing":
      return unwrap(await api.GET("/api/billing/reports"));
    case "payments":
      return unwrap(await api.GET("/api/payments/reports"));
    case "collections":
      return unwrap(await api.GET("/api/collections/reports"));
    case "accounts":
      return unwrap(await api.GET("/api/accounts/reports"));
  }
}

/** Every service's report catalogue (each service reports on its own data); a service that
 * fails to answer is marked, the others still shown. */
export function useCatalogues() {
  return useQueries({
    queries: REPORT_SERVICES.map((service) => ({
      queryKey: ["report", "catalogue", service],
      queryFn: () => catalogue(service),
      staleTime: 5 * 60_000,
    })),
    combine: (results) => REPORT_SERVICES.map((service, i) => ({
      service, reports: results[i]?.data?.reports ?? [], loading: !!results[i]?.isLoading,
      failed: !!results[i]?.isError,
    })),
  });
}

/** A catalogue entry's download: `{path}.{fmt}` with `month` or `year` (empty: the server's
 * default period). */
export function reportFile(entry: CatalogueEntry, fmt: string, period: string): string {
  return `${entry.path}.${fmt}${reportQuery({ [entry.period]: period.trim() })}`;
}
