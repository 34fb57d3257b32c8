/**
 * The nightly update's run log (`/api/nightly`): the latest nights with their steps, run a
 * missed night now, retry a failed step.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";

import type { components } from "@/api/schema";
import { api, unwrap } from "@/lib/api";

export type Run = components["schemas"]["NightRunOut"];
export type Step = components["schemas"]["NightStepOut"];

const KEY = ["nightly", "runs"] as const;

/** The latest nights; polled while one is still running. */
export function useRuns() {
  return useQuery({
    queryKey: KEY,
    queryFn: async () => unwrap(await api.GET("/api/nightly/runs",
      { params: { query: { limit: 30 } } })),
    refetchInterval: (q) => (q.state.data?.some((r) => r.status === "running") ? 3000 : false),
  });
}

export function useRunNow() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async ({ day, key }: { day: string; key: string }) =>
      unwrap(await api.POST("/api/nightly/runs", {
        params: { query: { day }, header: { "Idempotency-Key": key } },
      })),
    onSuccess: () => client.invalidateQueries({ queryKey: KEY }),
  });
}

export function useRetry() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async ({ runId, step, key }: { runId: string; step: string; key: string }) =>
      unwrap(await api.POST("/api/nightly/runs/{run_id}/steps/{step}/retry", {
        params: { path: { run_id: runId, step }, header: { "Idempotency-Key": key } },
      })),
    onSuccess: () => client.invalidateQueries({ queryKey: KEY }),
  });
}
