/**
 * Rebate programmes, applications and check requests: accounts' `/api/accounts/rebates` routes
 * through the generated client. Every mutation takes the caller's Idempotency-Key.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";

import type { components } from "@/api/schema";
import { api, unwrap } from "@/lib/api";

export type Programme = components["schemas"]["ProgrammeOut"];
export type Application = components["schemas"]["ApplicationOut"];
export type ApplicationIn = components["schemas"]["ApplicationIn"];
export type CheckBatch = components["schemas"]["CheckBatchOut"];
export type Status = Application["status"];

const KEY = ["rebates"] as const;
const H = (key: string) => ({ "Idempotency-Key": key });

export function useProgrammes() {
  return useQuery({
    queryKey: [...KEY, "programmes"],
    staleTime: 10 * 60_000,
    queryFn: async () => unwrap(await api.GET("/api/accounts/rebates/programmes")),
  });
}

export function useApplications(status: Status | null) {
  return useQuery({
    queryKey: [...KEY, "applications", status],
    queryFn: async () => unwrap(await api.GET("/api/accounts/rebates/applications",
      { params: { query: { status: status ?? undefined, limit: 200 } } })),
  });
}

/** One account's applications, every status, newest first (Account 360's Rebates tab). */
export function useAccountApplications(accountId: string) {
  return useQuery({
    queryKey: [...KEY, "applications", "account", accountId],
    queryFn: async () => unwrap(await api.GET("/api/accounts/rebates/applications",
      { params: { query: { account_id: accountId, limit: 500 } } })),
  });
}

export function useCheckRequests() {
  return useQuery({
    queryKey: [...KEY, "checks"],
    queryFn: async () => unwrap(await api.GET("/api/accounts/rebates/check-requests")),
  });
}

/** The account a typed number names (quiet: the form shows "no such account" itself). */
export function useAccountByNumber(number: string) {
  const digits = number.replace(/\D/g, "");
  return useQuery({
    queryKey: ["account-by-number", digits],
    enabled: digits.length >= 6,
    retry: false,
    meta: { quiet: true },
    queryFn: async () => unwrap(await api.GET("/api/accounts/accounts/by-number/{number}",
      { params: { path: { number: digits } } })),
  });
}

/** The premises an account has active service at, with their addresses (a rebate is for one). */
export function useServedPremises(accountId: string | undefined) {
  return useQuery({
    queryKey: ["served-premises", accountId],
    enabled: !!accountId,
    queryFn: async () => {
      const sas = unwrap(await api.GET("/api/accounts/agreements",
        { params: { query: { account_id: accountId! } } }));
      const ids = [...new Set(sas.filter((sa) => sa.status === "active")
        .map((sa) => sa.premise_id))];
      return Promise.all(ids.map(async (id) => unwrap(await api.GET(
        "/api/accounts/premises/{premise_id}", { params: { path: { premise_id: id } } }))));
    },
  });
}

function useDone() {
  const client = useQueryClient();
  return () => void client.invalidateQueries({ queryKey: KEY });
}

/** Take in a form, then attach its scan (when one was chosen) under the same submission. */
export function useApply() {
  const done = useDone();
  return useMutation({
    mutationFn: async ({ body, file, key }: { body: ApplicationIn; file: File | null;
      key: string }) => {
      const app = unwrap(await api.POST("/api/accounts/rebates/applications",
        { body, headers: H(key) }));
      return file ? attach(app.id, file, `${key}-form`) : app;
    },
    onSuccess: done,
  });
}

async function attach(id: string, file: File, key: string): Promise<Application> {
  return unwrap(await api.POST("/api/accounts/rebates/applications/{application_id}/forms", {
    params: { path: { application_id: id } },
    // multipart: the scan as the browser read it
    body: { file: "" },
    bodySerializer: () => {
      const form = new FormData();
      form.append("file", file, file.name);
      return form;
    },
    headers: H(key),
  }));
}

export function useAttachForm() {
  const done = useDone();
  return useMutation({
    mutationFn: ({ id, file, key }: { id: string; file: File; key: string }) =>
      attach(id, file, key),
    onSuccess: done,
  });
}

export interface Decision {
  id: string;
  verdict: "approve" | "deny";
  text: string;
  onDate: string;
  key: string;
}

export function useDecide() {
  const done = useDone();
  return useMutation({
    mutationFn: async ({ id, verdict, text, onDate, key }: Decision) => {
      const path = { application_id: id };
      if (verdict === "approve") {
        return unwrap(await api.POST(
          "/api/accounts/rebates/applications/{application_id}/approve",
          { params: { path }, body: { on_date: onDate, note: text.trim() || null },
            headers: H(key) }));
      }
      return unwrap(await api.POST("/api/accounts/rebates/applications/{application_id}/deny",
        { params: { path }, body: { on_date: onDate, reason: text.trim() }, headers: H(key) }));
    },
    onSuccess: done,
  });
}

export function useBatchChecks() {
  const done = useDone();
  return useMutation({
    mutationFn: async ({ key }: { key: string }) =>
      unwrap(await api.POST("/api/accounts/rebates/check-requests/batches", { headers: H(key) })),
    onSuccess: done,
  });
}
