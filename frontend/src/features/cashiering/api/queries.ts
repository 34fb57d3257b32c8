/**
 * Cashiering's back office (payments service): mail batches, lockbox and its suspense queue,
 * returned payments, refunds, bank deposits and the end-of-day report.
 */
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";

import { api, authFetch, unwrap } from "@/lib/api";
import { ApiProblem, toProblem } from "@/lib/problem";

import type {
  BatchIn, DepositStatus, MailPaymentIn, RefundStatus, ReturnIn,
} from "./types";

const H = (key: string) => ({ "Idempotency-Key": key });

function useInvalidate(...keys: string[]) {
  const client = useQueryClient();
  return () => {
    for (const k of keys) void client.invalidateQueries({ queryKey: [k] });
  };
}

// ---- mail batches -------------------------------------------------------------------------

export function useBatches(status: "open" | "posted") {
  return useQuery({
    queryKey: ["batches", status],
    queryFn: async () => unwrap(await api.GET("/api/payments/batches",
      { params: { query: { status, limit: 100 } } })),
  });
}

export function useBatch(batchId: string | null) {
  return useQuery({
    queryKey: ["batches", "one", batchId],
    enabled: !!batchId,
    queryFn: async () => unwrap(await api.GET("/api/payments/batches/{batch_id}",
      { params: { path: { batch_id: batchId! } } })),
  });
}

export function useOpenBatch() {
  const done = useInvalidate("batches");
  return useMutation({
    mutationFn: async ({ body, key }: { body: BatchIn; key: string }) =>
      unwrap(await api.POST("/api/payments/batches", { body, headers: H(key) })),
    onSuccess: done,
  });
}

export function useKeyPayment(batchId: string) {
  const done = useInvalidate("batches");
  return useMutation({
    mutationFn: async ({ body, key }: { body: MailPaymentIn; key: string }) =>
      unwrap(await api.POST("/api/payments/batches/{batch_id}/payments", {
        params: { path: { batch_id: batchId }, header: { "Idempotency-Key": key } }, body })),
    onSuccess: done,
  });
}

export function useRemoveKeyed(batchId: string) {
  const done = useInvalidate("batches");
  return useMutation({
    mutationFn: async (paymentId: string) =>
      unwrap(await api.DELETE("/api/payments/batches/{batch_id}/payments/{payment_id}",
        { params: { path: { batch_id: batchId, payment_id: paymentId } } })),
    onSuccess: done,
  });
}

export function usePostBatch(batchId: string) {
  const done = useInvalidate("batches", "ready", "dayend");
  return useMutation({
    mutationFn: async (key: string) =>
      unwrap(await api.POST("/api/payments/batches/{batch_id}/post",
        { params: { path: { batch_id: batchId } }, headers: H(key) })),
    onSuccess: done,
  });
}

// ---- lockbox -------------------------------------------------------------------------------

export function useImportLockbox() {
  const done = useInvalidate("suspense", "dayend");
  return useMutation({
    mutationFn: async ({ file, key }: { file: File; key: string }) =>
      unwrap(await api.POST("/api/payments/lockbox/imports", {
        // multipart: the file as the browser read it
        body: { file: "" },
        bodySerializer: () => {
          const form = new FormData();
          form.append("file", file, file.name);
          return form;
        },
        headers: H(key),
      })),
    onSuccess: done,
  });
}

export function useSuspense(status: "open" | "resolved" | "returned") {
  return useQuery({
    queryKey: ["suspense", status],
    queryFn: async () => unwrap(await api.GET("/api/payments/lockbox/suspense",
      { params: { query: { status, limit: 1000 } } })),
  });
}

export function useResolveSuspense() {
  const done = useInvalidate("suspense", "dayend");
  return useMutation({
    mutationFn: async ({ id, accountNumber, note, key }: {
      id: string; accountNumber: string; note: string; key: string;
    }) => unwrap(await api.POST("/api/payments/lockbox/suspense/{suspense_id}/resolve", {
      params: { path: { suspense_id: id } }, headers: H(key),
      body: { account_number: accountNumber, note: note || null } })),
    onSuccess: done,
  });
}

export function useReturnSuspense() {
  const done = useInvalidate("suspense");
  return useMutation({
    mutationFn: async ({ id, reason, key }: { id: string; reason: string; key: string }) =>
      unwrap(await api.POST("/api/payments/lockbox/suspense/{suspense_id}/return", {
        params: { path: { suspense_id: id } }, headers: H(key), body: { reason } })),
    onSuccess: done,
  });
}

// ---- returned payments ---------------------------------------------------------------------

export function useReturns(accountNumber: string) {
  return useQuery({
    queryKey: ["returns", accountNumber],
    placeholderData: keepPreviousData,
    queryFn: async () => unwrap(await api.GET("/api/payments/returns", {
      params: { query: { account_number: accountNumber || undefined, limit: 200 } } })),
  });
}

export function useRecordReturn() {
  const done = useInvalidate("returns", "dayend", "counter-account");
  return useMutation({
    mutationFn: async ({ body, key }: { body: ReturnIn; key: string }) =>
      unwrap(await api.POST("/api/payments/returns", {
        params: { header: { "Idempotency-Key": key } }, body })),
    onSuccess: done,
  });
}

// ---- refunds -------------------------------------------------------------------------------

export function useRefunds(status: RefundStatus | undefined) {
  return useQuery({
    queryKey: ["refunds", status ?? "all"],
    queryFn: async () => unwrap(await api.GET("/api/payments/refunds",
      { params: { query: { status, limit: 500 } } })),
  });
}

export function useRequestRefund() {
  const done = useInvalidate("refunds", "approvals");
  return useMutation({
    mutationFn: async ({ accountNumber, amount, reason, key }: {
      accountNumber: string; amount: string; reason: string; key: string;
    }) => unwrap(await api.POST("/api/payments/refunds", {
      params: { header: { "Idempotency-Key": key } },
      body: { account_number: accountNumber, amount, reason } })),
    onSuccess: done,
  });
}

export function useDecideRefund() {
  const done = useInvalidate("refunds", "approvals");
  return useMutation({
    mutationFn: async ({ id, verdict, reason, key }: {
      id: string; verdict: "approve" | "reject" | "void"; reason: string; key: string;
    }) => {
      const path = { params: { path: { refund_id: id } }, headers: H(key) };
      if (verdict === "approve") {
        return unwrap(await api.POST("/api/payments/refunds/{refund_id}/approve", path));
      }
      if (verdict === "reject") {
        return unwrap(await api.POST("/api/payments/refunds/{refund_id}/reject",
          { ...path, body: { reason } }));
      }
      return unwrap(await api.POST("/api/payments/refunds/{refund_id}/void",
        { ...path, body: { reason } }));
    },
    onSuccess: done,
  });
}

export function useCheckRequests(enabled: boolean) {
  return useQuery({
    queryKey: ["refunds", "check-requests"],
    enabled,
    queryFn: async () => unwrap(await api.GET("/api/payments/refunds/check-requests",
      { params: { query: { limit: 20 } } })),
  });
}

export function useExportCheckRequest() {
  const done = useInvalidate("refunds");
  return useMutation({
    mutationFn: async (key: string) => unwrap(await api.POST(
      "/api/payments/refunds/check-requests", { params: { header: { "Idempotency-Key": key } } })),
    onSuccess: done,
  });
}

// ---- bank deposits -------------------------------------------------------------------------

export function useReady() {
  return useQuery({
    queryKey: ["ready"],
    queryFn: async () => unwrap(await api.GET("/api/payments/bank-deposits/ready",
      { params: { query: { limit: 500 } } })),
  });
}

export function useDeposits(status: DepositStatus) {
  return useQuery({
    queryKey: ["deposits", status],
    queryFn: async () => unwrap(await api.GET("/api/payments/bank-deposits",
      { params: { query: { status, limit: 100 } } })),
  });
}

export function usePrepareDeposit() {
  const done = useInvalidate("ready", "deposits", "dayend", "approvals");
  return useMutation({
    mutationFn: async ({ drawerIds, batchIds, note, key }: {
      drawerIds: string[]; batchIds: string[]; note: string; key: string;
    }) => unwrap(await api.POST("/api/payments/bank-deposits", {
      params: { header: { "Idempotency-Key": key } },
      body: { drawer_ids: drawerIds, batch_ids: batchIds, note: note || null } })),
    onSuccess: done,
  });
}

export function useConfirmDeposit() {
  const done = useInvalidate("deposits", "dayend");
  return useMutation({
    mutationFn: async ({ id, reference, on, key }: {
      id: string; reference: string; on: string; key: string;
    }) => unwrap(await api.POST("/api/payments/bank-deposits/{deposit_id}/confirm", {
      params: { path: { deposit_id: id } }, headers: H(key),
      body: { bank_reference: reference, deposited_on: on } })),
    onSuccess: done,
  });
}

// ---- end of day ----------------------------------------------------------------------------

/** The report of `day` (YYYY-MM-DD), or of the district's today when `day` is empty. */
export function useDayEnd(day: string) {
  return useQuery({
    queryKey: ["dayend", day],
    enabled: day === "" || /^\d{4}-\d{2}-\d{2}$/.test(day),
    placeholderData: keepPreviousData,
    queryFn: async () => unwrap(await api.GET("/api/payments/dayend",
      { params: { query: { date: day || undefined } } })),
  });
}

/** A file (CSV) fetched with the session's token and saved under its own name. */
export async function download(path: string, fallbackName: string): Promise<void> {
  const response = await authFetch(new Request(path));
  if (!response.ok) {
    let body: unknown = null;
    try {
      body = await response.json();
    } catch {
      body = null;
    }
    throw new ApiProblem(toProblem(body, response.status, response.statusText));
  }
  const named = /filename="([^"]+)"/.exec(response.headers.get("Content-Disposition") ?? "");
  const url = URL.createObjectURL(await response.blob());
  const a = document.createElement("a");
  a.href = url;
  a.download = named?.[1] ?? fallbackName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
