/**
 * Collections' district-wide views: aging by bucket, notices and door tags awaiting approval,
 * tomorrow's disconnects with their guardrails, closed accounts, liens, the daily job.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";

import type { components } from "@/api/schema";
import { api, unwrap } from "@/lib/api";

type S = components["schemas"];
export type AgingTotals = S["ReportTotals"];
export type FieldOrder = S["FieldOrderOut"];
export type TomorrowRow = S["TomorrowRow"];
export type Batch = S["CollectionsBatchOut"];
export type ClosedCase = S["CaseOut"];
export type ClosedDetail = S["CaseDetail"];
export type Lien = S["LienOut"];
export type LienList = S["ListOut"];
export type DailyResult = S["services__collections__daily__schemas__DailyOut"];

function useInvalidate() {
  const client = useQueryClient();
  return () => client.invalidateQueries({ queryKey: ["collections"] });
}

/** The district's totals by bucket (the monthly aging report without a row per account). */
export function useAgingReport(asOf: string | null) {
  return useQuery({
    queryKey: ["collections", "aging-report", asOf],
    queryFn: async () => unwrap(await api.GET("/api/collections/reports/aging",
      { params: { query: { as_of: asOf ?? undefined, rows: false } } })),
  });
}

export function useAwaitingApproval() {
  return useQuery({
    queryKey: ["collections", "awaiting"],
    queryFn: async () => unwrap(await api.GET("/api/collections/notices/awaiting-approval")),
  });
}

export function useCreateBatch() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: async (key: string) => unwrap(await api.POST("/api/collections/notices/batches",
      { body: {}, headers: { "Idempotency-Key": key } })),
    onSuccess: invalidate,
  });
}

export function useBatchDecision() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: async ({ id, decision, reason }: {
      id: string; decision: "approve" | "reject" | "release"; reason?: string;
    }) => {
      const path = { params: { path: { batch_id: id } } };
      if (decision === "approve") {
        return unwrap(await api.POST("/api/collections/notices/batches/{batch_id}/approve", path));
      }
      if (decision === "reject") {
        return unwrap(await api.POST("/api/collections/notices/batches/{batch_id}/reject",
          { ...path, body: { reason: reason ?? "" } }));
      }
      return unwrap(await api.POST("/api/collections/notices/batches/{batch_id}/release",
        { ...path, body: {} }));
    },
    onSuccess: invalidate,
  });
}

export function useFieldOrders(kind: "door_tag" | "disconnect" | "reconnect", status?: string) {
  return useQuery({
    queryKey: ["collections", "field-orders", kind, status],
    queryFn: async () => unwrap(await api.GET("/api/collections/field/orders", {
      params: { query: { kind, status: status as "released" | undefined } },
    })),
  });
}

export function useApproveDoorTags() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: async (ids: string[]) => unwrap(await api.POST(
      "/api/collections/field/door-tags/approve", { body: { order_ids: ids } })),
    onSuccess: invalidate,
  });
}

export function useTomorrow() {
  return useQuery({
    queryKey: ["collections", "tomorrow"],
    queryFn: async () => unwrap(await api.GET("/api/collections/field/disconnects/tomorrow")),
  });
}

export function useClosedCases(stage: string | null) {
  return useQuery({
    queryKey: ["collections", "closed", stage],
    queryFn: async () => unwrap(await api.GET("/api/collections/closed", {
      params: { query: { stage: (stage ?? undefined) as "open" | undefined } },
    })),
  });
}

export function useClosedCase(accountId: string | null) {
  return useQuery({
    queryKey: ["collections", "closed-case", accountId],
    enabled: !!accountId,
    queryFn: async () => unwrap(await api.GET("/api/collections/closed/{account_id}",
      { params: { path: { account_id: accountId ?? "" } } })),
  });
}

export type ClosedAction = "transfer" | "decline" | "write-off";

export function useClosedAction() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: async ({ accountId, action, reason, key }: {
      accountId: string; action: ClosedAction; reason: string; key: string;
    }) => {
      const path = { account_id: accountId };
      if (action === "transfer") {
        return unwrap(await api.POST("/api/collections/closed/{account_id}/transfer", {
          params: { path, header: { "Idempotency-Key": key } }, body: { reason },
        }));
      }
      if (action === "decline") {
        return unwrap(await api.POST("/api/collections/closed/{account_id}/decline-transfer", {
          params: { path }, body: { reason }, headers: { "Idempotency-Key": key },
        }));
      }
      return unwrap(await api.POST("/api/collections/closed/{account_id}/write-off", {
        params: { path, header: { "Idempotency-Key": key } }, body: { reason },
      }));
    },
    onSuccess: invalidate,
  });
}

export function useReferToAgency() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: async (key: string) => unwrap(await api.POST("/api/collections/agency/referrals",
      { params: { header: { "Idempotency-Key": key } }, body: {} })),
    onSuccess: invalidate,
  });
}

export function useReferrals() {
  return useQuery({
    queryKey: ["collections", "referrals"],
    queryFn: async () => unwrap(await api.GET("/api/collections/agency/referrals")),
  });
}

export function useLiens(status: string | null) {
  return useQuery({
    queryKey: ["collections", "liens", status],
    queryFn: async () => unwrap(await api.GET("/api/collections/liens", {
      params: { query: { status: (status ?? undefined) as "noticed" | undefined } },
    })),
  });
}

export function useLienCandidates() {
  return useQuery({
    queryKey: ["collections", "lien-candidates"],
    queryFn: async () => unwrap(await api.GET("/api/collections/liens/candidates")),
  });
}

export function useLienLists() {
  return useQuery({
    queryKey: ["collections", "lien-lists"],
    queryFn: async () => unwrap(await api.GET("/api/collections/liens/lists")),
  });
}

export function useLienStep() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: async ({ step, key }: { step: "notices" | "lists" | "releases"; key: string }) => {
      if (step === "notices") {
        return unwrap(await api.POST("/api/collections/liens/notices",
          { params: { header: { "Idempotency-Key": key } }, body: {} }));
      }
      if (step === "lists") {
        return unwrap(await api.POST("/api/collections/liens/lists",
          { params: { header: { "Idempotency-Key": key } }, body: {} }));
      }
      return unwrap(await api.POST("/api/collections/liens/releases",
        { body: {}, headers: { "Idempotency-Key": key } }));
    },
    onSuccess: invalidate,
  });
}

/** The daily job (ladder, arrangements, field, closed accounts): once a day, under one lock. */
export function useRunDaily() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: async ({ today, key }: { today: string | null; key: string }) =>
      unwrap(await api.POST("/api/collections/daily", {
        params: { query: { today: today ?? undefined }, header: { "Idempotency-Key": key } },
      })),
    onSuccess: invalidate,
  });
}

export type DailyProgress = S["DailyProgress"];

/** The step the running job is on (polled while it runs; this process's view, not the record). */
export function useDailyProgress(running: boolean) {
  return useQuery({
    queryKey: ["collections", "daily-progress"],
    refetchInterval: running ? 500 : false,
    meta: { quiet: true },
    queryFn: async () => unwrap(await api.GET("/api/collections/daily/progress")),
  });
}

/** The county recorded a certified list (its recording day and document number). */
export function useRecordLienList() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: async ({ id, recordedOn, document, key }: {
      id: string; recordedOn: string; document: string; key: string;
    }) => unwrap(await api.POST("/api/collections/liens/lists/{list_id}/recorded", {
      params: { path: { list_id: id } }, headers: { "Idempotency-Key": key },
      body: { recorded_on: recordedOn, document_number: document.trim() || null },
    })),
    onSuccess: invalidate,
  });
}

// ---- the collection agency's payments ---------------------------------------------------------

export type AgencyPaymentIn = S["AgencyPaymentIn"];
export type AgencyPayment = S["AgencyPaymentOut"];
export type AgencyPaymentsFile = S["PaymentsFileOut"];

/** One payment the agency reports, with its commission; its reference makes it once. */
export function useRecordAgencyPayment() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: async ({ body, key }: { body: AgencyPaymentIn; key: string }) =>
      unwrap(await api.POST("/api/collections/agency/payments", {
        params: { header: { "Idempotency-Key": key } }, body,
      })),
    onSuccess: invalidate,
  });
}

/** The agency's payments file: every line or none; a file sent twice records nothing new. */
export function useImportAgencyPayments() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: async (file: File) =>
      unwrap(await api.POST("/api/collections/agency/payments/file", {
        body: { file: "" },
        bodySerializer: () => {
          const form = new FormData();
          form.append("file", file, file.name);
          return form;
        },
      })),
    onSuccess: invalidate,
  });
}
