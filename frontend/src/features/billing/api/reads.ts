/** Meter reads: imports, the exceptions worklist, the unread-meter report (billing service). */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";

import type { components } from "@/api/schema";
import { api, unwrap } from "@/lib/api";

import { uploadReads, type ImportResult, type ReadFileKind } from "./upload";

type S = components["schemas"];
export type WorklistItem = S["WorklistItem"];
export type UnreadReport = S["UnreadReport"];
export type ReadOut = S["ReadOut"];
export type ExceptionStatus = "open" | "reread_ordered" | "resolved";
export type Resolution = "accept" | "reread" | "estimate" | "correct";
export type { ImportResult, ReadFileKind };

/** An import with its upload progress (0..1) while it runs. */
export function useImportReads() {
  const client = useQueryClient();
  const [progress, setProgress] = useState(0);
  const mutation = useMutation({
    mutationFn: ({ kind, file, key }: { kind: ReadFileKind; file: File; key: string }) => {
      setProgress(0);
      return uploadReads(kind, file, key, setProgress);
    },
    onSuccess: () => client.invalidateQueries({ queryKey: ["read-exceptions"] }),
  });
  return { ...mutation, progress };
}

export function useWorklist(status: ExceptionStatus, cycle: string) {
  return useQuery({
    queryKey: ["read-exceptions", status, cycle],
    queryFn: async () => unwrap(await api.GET("/api/billing/reads/exceptions/worklist", {
      params: { query: { status, cycle: cycle || undefined } },
    })),
  });
}

export interface ResolveArgs {
  id: string;
  how: Resolution;
  reason: string;
  value?: string;
  readOn?: string;
  key: string;
}

/** Accept, re-read, estimate or correct one exception. */
export function useResolveException() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async ({ id, how, reason, value, readOn, key }: ResolveArgs) => {
      const path = { exception_id: id };
      const headers = { "Idempotency-Key": key };
      switch (how) {
        case "accept":
          return unwrap(await api.POST("/api/billing/reads/exceptions/{exception_id}/accept",
            { params: { path }, body: { reason }, headers }));
        case "reread":
          return unwrap(await api.POST("/api/billing/reads/exceptions/{exception_id}/reread",
            { params: { path }, body: { reason }, headers }));
        case "estimate":
          return unwrap(await api.POST("/api/billing/reads/exceptions/{exception_id}/estimate",
            { params: { path }, body: { reason, read_on: readOn || null }, headers }));
        case "correct":
          return unwrap(await api.POST("/api/billing/reads/exceptions/{exception_id}/correct",
            { params: { path }, body: { reason, value: value ?? "" }, headers }));
      }
    },
    onSuccess: () => client.invalidateQueries({ queryKey: ["read-exceptions"] }),
  });
}

export interface UnreadQuery {
  cycle: string;
  period_start: string;
  period_end: string;
}

export function useUnreadReport(q: UnreadQuery | null) {
  return useQuery({
    queryKey: ["unread-meters", q],
    enabled: !!q,
    queryFn: async () => unwrap(await api.GET("/api/billing/reads/reports/unread",
      { params: { query: q! } })),
  });
}

/** At cycle time: a `missing` exception for every unread meter of the cycle. */
export function useOpenMissingExceptions() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async ({ q, key }: { q: UnreadQuery; key: string }) =>
      unwrap(await api.POST("/api/billing/reads/reports/unread/exceptions",
        { params: { query: q }, headers: { "Idempotency-Key": key } })),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: ["unread-meters"] });
      void client.invalidateQueries({ queryKey: ["read-exceptions"] });
    },
  });
}

/** Route-file reads kept for a meter serial billing has not heard of yet. */
export function useAwaitingMeter() {
  return useQuery({
    queryKey: ["read-exceptions", "awaiting-meter"],
    queryFn: async () => unwrap(await api.GET("/api/billing/reads/awaiting-meter")),
  });
}

export type ReadThresholds = S["ThresholdsIO-Output"];

export function useReadThresholds() {
  return useQuery({
    queryKey: ["read-thresholds"],
    queryFn: async () => unwrap(await api.GET("/api/billing/reads/thresholds")),
  });
}

export function useSetReadThresholds() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async ({ body, key }: { body: S["ThresholdsIO-Input"]; key: string }) =>
      unwrap(await api.PUT("/api/billing/reads/thresholds",
        { body, headers: { "Idempotency-Key": key } })),
    onSuccess: (t) => client.setQueryData(["read-thresholds"], t),
  });
}
