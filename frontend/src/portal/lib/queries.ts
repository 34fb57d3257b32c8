/** The portal's reads and writes, each over the generated client for the current account. */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";

import type { components } from "@/api/schema";
import { ApiProblem } from "@/lib/problem";

import { portalApi, unwrap } from "./client";

type S = components["schemas"];
export type Summary = S["AccountSummary"];
export type BillSummary = S["AccountBill"];
export type Method = S["MethodOut"];
export type Schedule = S["ScheduleOut"];
export type ScheduleIn = S["ScheduleIn"];
export type Enrolment = S["services__payments__autopay__schemas__EnrolmentOut"];
export type EnrolIn = S["EnrolIn"];
export type TextEnrolment = S["services__payments__texttopay__schemas__EnrolmentOut"];
export type ServiceRequest = S["RequestOut"];
export type RequestIn = S["RequestIn"];
export type BudgetOffer = S["BudgetOffer"];

const path = (account_id: string) => ({ params: { path: { account_id } } });

/** 404 means "none yet" for the one-of reads (autopay, text-to-pay): null, not an error. */
async function orNone<T>(read: () => Promise<T>): Promise<T | null> {
  try {
    return await read();
  } catch (e) {
    if (e instanceof ApiProblem && e.status === 404) return null;
    throw e;
  }
}

export function useSummary(accountId: string) {
  return useQuery({
    queryKey: ["portal", "summary", accountId],
    enabled: !!accountId,
    queryFn: async () => unwrap(await portalApi.GET("/api/payments/portal/accounts/{account_id}",
      path(accountId))),
  });
}

export function useBills(accountId: string) {
  return useQuery({
    queryKey: ["portal", "bills", accountId],
    enabled: !!accountId,
    queryFn: async () => unwrap(await portalApi.GET("/api/billing/bills/accounts/{account_id}",
      path(accountId))),
  });
}

export function useBill(billId: string) {
  return useQuery({
    queryKey: ["portal", "bill", billId],
    queryFn: async () => unwrap(await portalApi.GET("/api/billing/bills/{bill_id}",
      { params: { path: { bill_id: billId } } })),
  });
}

export function useExplanation(billId: string) {
  return useQuery({
    queryKey: ["portal", "explain", billId],
    queryFn: async () => unwrap(await portalApi.GET("/api/billing/bills/{bill_id}/explain",
      { params: { path: { bill_id: billId } } })),
  });
}

export function useStartPayment(accountId: string) {
  return useMutation({
    mutationFn: async ({ amount, key }: { amount: string; key: string }) => unwrap(
      await portalApi.POST("/api/payments/portal/accounts/{account_id}/payments/hosted", {
        ...path(accountId), headers: { "Idempotency-Key": key },
        body: { amount, return_url: "/portal/pay/done", cancel_url: "/portal/pay" },
      })),
  });
}

export function useStartedPayment(accountId: string, paymentId: string | null) {
  return useQuery({
    queryKey: ["portal", "started", accountId, paymentId],
    enabled: !!accountId && !!paymentId,
    refetchInterval: (q) => (q.state.data?.status === "posted" || q.state.data?.status === "declined"
      ? false : 1500),
    queryFn: async () => unwrap(await portalApi.GET(
      "/api/payments/portal/accounts/{account_id}/payments/{payment_id}",
      { params: { path: { account_id: accountId, payment_id: paymentId! } } })),
  });
}

export function useMethods(accountId: string) {
  return useQuery({
    queryKey: ["portal", "methods", accountId],
    enabled: !!accountId,
    queryFn: async () => unwrap(await portalApi.GET(
      "/api/payments/portal/accounts/{account_id}/methods", path(accountId))),
  });
}

function useInvalidate(...keys: string[]) {
  const qc = useQueryClient();
  return () => Promise.all(keys.map((k) => qc.invalidateQueries({ queryKey: ["portal", k] })));
}

export function useMethodActions(accountId: string) {
  const done = useInvalidate("methods", "schedules");
  const setup = useMutation({
    mutationFn: async () => unwrap(await portalApi.POST(
      "/api/payments/portal/accounts/{account_id}/methods/setup",
      { ...path(accountId), body: { return_url: "/portal/methods", cancel_url: "/portal/methods" } })),
  });
  const save = useMutation({
    mutationFn: async (setupId: string) => unwrap(await portalApi.POST(
      "/api/payments/portal/accounts/{account_id}/methods",
      { ...path(accountId), headers: { "Idempotency-Key": `setup-${setupId}` },
        body: { setup_id: setupId, default: false } })),
    onSuccess: done,
  });
  const makeDefault = useMutation({
    mutationFn: async (methodId: string) => unwrap(await portalApi.POST(
      "/api/payments/portal/accounts/{account_id}/methods/{method_id}/default",
      { params: { path: { account_id: accountId, method_id: methodId } } })),
    onSuccess: done,
  });
  const remove = useMutation({
    mutationFn: async (methodId: string) => unwrap(await portalApi.DELETE(
      "/api/payments/portal/accounts/{account_id}/methods/{method_id}",
      { params: { path: { account_id: accountId, method_id: methodId } } })),
    onSuccess: done,
  });
  return { setup, save, makeDefault, remove };
}

export function useAutopay(accountId: string) {
  return useQuery({
    queryKey: ["portal", "autopay", accountId],
    enabled: !!accountId,
    queryFn: () => orNone(async () => unwrap(await portalApi.GET(
      "/api/payments/portal/accounts/{account_id}/autopay", path(accountId)))),
  });
}

export function useAutopayActions(accountId: string) {
  const done = useInvalidate("autopay");
  const enrol = useMutation({
    mutationFn: async ({ body, key }: { body: EnrolIn; key: string }) => unwrap(
      await portalApi.POST("/api/payments/portal/accounts/{account_id}/autopay",
        { ...path(accountId), headers: { "Idempotency-Key": key }, body })),
    onSuccess: done,
  });
  const cancel = useMutation({
    mutationFn: async () => unwrap(await portalApi.DELETE(
      "/api/payments/portal/accounts/{account_id}/autopay", path(accountId))),
    onSuccess: done,
  });
  return { enrol, cancel };
}

export function useSchedules(accountId: string) {
  return useQuery({
    queryKey: ["portal", "schedules", accountId],
    enabled: !!accountId,
    queryFn: async () => unwrap(await portalApi.GET(
      "/api/payments/portal/accounts/{account_id}/schedules", path(accountId))),
  });
}

export function useScheduleActions(accountId: string) {
  const done = useInvalidate("schedules");
  const add = useMutation({
    mutationFn: async ({ body, key }: { body: ScheduleIn; key: string }) => unwrap(
      await portalApi.POST("/api/payments/portal/accounts/{account_id}/schedules",
        { ...path(accountId), headers: { "Idempotency-Key": key }, body })),
    onSuccess: done,
  });
  const cancel = useMutation({
    mutationFn: async (scheduleId: string) => unwrap(await portalApi.DELETE(
      "/api/payments/portal/accounts/{account_id}/schedules/{schedule_id}",
      { params: { path: { account_id: accountId, schedule_id: scheduleId } } })),
    onSuccess: done,
  });
  return { add, cancel };
}

export function useTextToPay(accountId: string) {
  return useQuery({
    queryKey: ["portal", "text-to-pay", accountId],
    enabled: !!accountId,
    queryFn: () => orNone(async () => unwrap(await portalApi.GET(
      "/api/payments/portal/accounts/{account_id}/text-to-pay", path(accountId)))),
  });
}

export function useTextToPayActions(accountId: string) {
  const done = useInvalidate("text-to-pay");
  const enrol = useMutation({
    mutationFn: async (body: S["PortalTextIn"]) => unwrap(await portalApi.POST(
      "/api/payments/portal/accounts/{account_id}/text-to-pay", { ...path(accountId), body })),
    onSuccess: done,
  });
  const confirm = useMutation({
    mutationFn: async (code: string) => unwrap(await portalApi.POST(
      "/api/payments/portal/accounts/{account_id}/text-to-pay/confirm",
      { ...path(accountId), body: { code } })),
    onSuccess: done,
  });
  const stop = useMutation({
    mutationFn: async () => unwrap(await portalApi.DELETE(
      "/api/payments/portal/accounts/{account_id}/text-to-pay", path(accountId))),
    onSuccess: done,
  });
  return { enrol, confirm, stop };
}

export function usePaperless(accountId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (paperless: boolean) => unwrap(await portalApi.PUT(
      "/api/accounts/accounts/{account_id}/paperless", { ...path(accountId), body: { paperless } })),
    onSuccess: () => qc.invalidateQueries({ queryKey: ["portal", "my-accounts"] }),
  });
}

export function useBudgetOffer(accountId: string) {
  return useQuery({
    queryKey: ["portal", "budget", accountId],
    enabled: !!accountId,
    queryFn: async () => unwrap(await portalApi.GET(
      "/api/billing/ledger/budget/{account_id}/offer", path(accountId))),
  });
}

export function useBudgetEnrol(accountId: string) {
  const done = useInvalidate("budget", "summary");
  return useMutation({
    mutationFn: async (key: string) => unwrap(await portalApi.POST("/api/billing/ledger/budget",
      { headers: { "Idempotency-Key": key }, body: { account_id: accountId } })),
    onSuccess: done,
  });
}

export function useRequests(accountId: string) {
  return useQuery({
    queryKey: ["portal", "requests", accountId],
    enabled: !!accountId,
    queryFn: async () => unwrap(await portalApi.GET(
      "/api/accounts/requests/accounts/{account_id}", path(accountId))),
  });
}

/** A request; a high-bill review first opens billing's appeal, then files the request that
 * points at it (a retry sends the same keys, so neither is made twice). */
export function useFileRequest(accountId: string) {
  const done = useInvalidate("requests");
  return useMutation({
    mutationFn: async ({ body, key }: { body: RequestIn; key: string }) => {
      let appealId: string | null = null;
      if (body.kind === "high_bill_review" && body.bill_id) {
        const appeal = unwrap(await portalApi.POST("/api/billing/appeals", {
          headers: { "Idempotency-Key": `${key}-appeal` },
          body: { bill_id: body.bill_id, complaint: body.message || "High bill review" } }));
        appealId = appeal.id;
      }
      return unwrap(await portalApi.POST("/api/accounts/requests/accounts/{account_id}", {
        ...path(accountId), headers: { "Idempotency-Key": key },
        body: { ...body, appeal_id: appealId ?? body.appeal_id ?? null } }));
    },
    onSuccess: done,
  });
}
