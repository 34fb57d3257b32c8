/** Bill runs, their bills and reports (billing service). */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";

import type { components } from "@/api/schema";
import { api, unwrap } from "@/lib/api";

type S = components["schemas"];
export type Run = S["RunOut"];
export type RunIn = S["RunIn"];
export type RunBill = S["RunBill"];
export type Bill = S["BillOut"];
export type RegisterRow = S["RegisterRow"];
export type ConsumptionRow = S["ConsumptionRow"];
export type RunStatus = "preview" | "prepared" | "approved" | "finalised" | "discarded";

export function useRuns(status: RunStatus | null) {
  return useQuery({
    queryKey: ["runs", "list", status],
    queryFn: async () => unwrap(await api.GET("/api/billing/runs",
      { params: { query: { status: status ?? undefined, limit: 100 } } })),
  });
}

export function useRun(runId: string) {
  return useQuery({
    queryKey: ["runs", "one", runId],
    queryFn: async () => unwrap(await api.GET("/api/billing/runs/{run_id}",
      { params: { path: { run_id: runId } } })),
  });
}

export const BILLS_PAGE = 50;

export function useRunBills(runId: string, flagged: boolean, page: number) {
  return useQuery({
    queryKey: ["runs", "bills", runId, flagged, page],
    queryFn: async () => unwrap(await api.GET("/api/billing/runs/{run_id}/bills", {
      params: { path: { run_id: runId },
        query: { flagged, limit: BILLS_PAGE, offset: (page - 1) * BILLS_PAGE } },
    })),
  });
}

/** Preview: every bill of a cycle calculated, nothing posted. */
export function useCreateRun() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async ({ body, key }: { body: RunIn; key: string }) =>
      unwrap(await api.POST("/api/billing/runs", { body, headers: { "Idempotency-Key": key } })),
    onSuccess: () => client.invalidateQueries({ queryKey: ["runs", "list"] }),
  });
}

export type RunStep = "recalculate" | "prepare" | "reopen" | "approve" | "finalise" | "discard";

/** One step of a run's life; the answer is the run as it now stands. */
export function useRunStep(runId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async ({ step, key }: { step: RunStep; key: string }) => {
      const opts = { params: { path: { run_id: runId } }, headers: { "Idempotency-Key": key } };
      switch (step) {
        case "recalculate":
          return unwrap(await api.POST("/api/billing/runs/{run_id}/recalculate", opts));
        case "prepare":
          return unwrap(await api.POST("/api/billing/runs/{run_id}/prepare", opts));
        case "reopen":
          return unwrap(await api.POST("/api/billing/runs/{run_id}/reopen", opts));
        case "approve":
          return unwrap(await api.POST("/api/billing/runs/{run_id}/approve", opts));
        case "finalise":
          return unwrap(await api.POST("/api/billing/runs/{run_id}/finalise", opts));
        case "discard":
          return unwrap(await api.POST("/api/billing/runs/{run_id}/discard", opts));
      }
    },
    onSuccess: (run) => {
      client.setQueryData(["runs", "one", runId], run);
      void client.invalidateQueries({ queryKey: ["runs"] });
      void client.invalidateQueries({ queryKey: ["run-report"] });
    },
  });
}

export function useHoldBill(runId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async ({ billId, reason, key }: { billId: string; reason: string; key: string }) =>
      unwrap(await api.POST("/api/billing/runs/{run_id}/bills/{bill_id}/hold", {
        params: { path: { run_id: runId, bill_id: billId } }, body: { reason },
        headers: { "Idempotency-Key": key },
      })),
    onSuccess: (run) => {
      client.setQueryData(["runs", "one", runId], run);
      void client.invalidateQueries({ queryKey: ["runs"] });
      void client.invalidateQueries({ queryKey: ["bill"] });
    },
  });
}

export function useBill(billId: string | null) {
  return useQuery({
    queryKey: ["bill", billId],
    enabled: !!billId,
    queryFn: async () => unwrap(await api.GET("/api/billing/bills/{bill_id}",
      { params: { path: { bill_id: billId! } } })),
  });
}

export function useExplain(billId: string | null) {
  return useQuery({
    queryKey: ["bill", billId, "explain"],
    enabled: !!billId,
    queryFn: async () => unwrap(await api.GET("/api/billing/bills/{bill_id}/explain",
      { params: { path: { bill_id: billId! } } })),
  });
}

export function useRegister(runId: string, enabled = true) {
  return useQuery({
    queryKey: ["run-report", "register", runId],
    enabled,
    queryFn: async () => unwrap(await api.GET("/api/billing/bills/runs/{run_id}/register",
      { params: { path: { run_id: runId } } })),
  });
}

export function useConsumption(runId: string, enabled = true) {
  return useQuery({
    queryKey: ["run-report", "consumption", runId],
    enabled,
    queryFn: async () => unwrap(await api.GET("/api/billing/bills/runs/{run_id}/consumption",
      { params: { path: { run_id: runId } } })),
  });
}

/** Recalculate a final bill's period in a one-account run (finalising it replaces the bill). */
export function useRebill() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async ({ billId, reason, key }: { billId: string; reason: string; key: string }) =>
      unwrap(await api.POST("/api/billing/runs/rebill/{bill_id}", {
        params: { path: { bill_id: billId } }, body: { reason },
        headers: { "Idempotency-Key": key },
      })),
    onSuccess: () => client.invalidateQueries({ queryKey: ["runs", "list"] }),
  });
}

export type ReviewThresholds = S["ReviewThresholdsIO-Output"];

export function useReviewThresholds() {
  return useQuery({
    queryKey: ["review-thresholds"],
    queryFn: async () => unwrap(await api.GET("/api/billing/runs/config/thresholds")),
  });
}

export function useSetReviewThresholds() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async ({ body, key }: { body: S["ReviewThresholdsIO-Input"]; key: string }) =>
      unwrap(await api.PUT("/api/billing/runs/config/thresholds",
        { body, headers: { "Idempotency-Key": key } })),
    onSuccess: (t) => client.setQueryData(["review-thresholds"], t),
  });
}
