/** The reports the services offer: aging (collections), end of day (payments), SB 998
 * disconnections (collections), run register and consumption by class (billing). */
import { useQuery } from "@tanstack/react-query";

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
