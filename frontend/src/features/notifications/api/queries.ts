/** Accounts' notifications for staff: an account's messages, resend, template previews, the
 * undeliverable list, and the development inbox (demo mode only). */
import { useMutation, useQueries, useQuery, useQueryClient } from "@tanstack/react-query";

import type { components } from "@/api/schema";
import { api, unwrap } from "@/lib/api";
import { ApiProblem } from "@/lib/problem";

type S = components["schemas"];
export type Message = S["MessageOut"];
export type Kind = S["KindOut"];
export type Preview = S["PreviewOut"];
export type Undeliverable = S["UndeliverableOut"];
export type DevMail = S["DevMailOut"];

export function useKinds() {
  return useQuery({
    queryKey: ["notifications", "kinds"],
    staleTime: 10 * 60_000,
    queryFn: async () => unwrap(await api.GET("/api/accounts/notifications/kinds")),
  });
}

export function useMessages(accountId: string) {
  return useQuery({
    queryKey: ["notifications", "messages", accountId],
    enabled: !!accountId,
    queryFn: async () => unwrap(await api.GET(
      "/api/accounts/notifications/accounts/{account_id}/messages",
      { params: { path: { account_id: accountId } } })),
  });
}

/** Send a failed or bounced message again, once per key (a double click posts once). */
export function useResend(accountId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async ({ messageId, key }: { messageId: string; key: string }) => unwrap(
      await api.POST("/api/accounts/notifications/messages/{message_id}/resend", {
        params: { path: { message_id: messageId } }, headers: { "Idempotency-Key": key } })),
    onSuccess: () => client.invalidateQueries({ queryKey: ["notifications", "messages", accountId] }),
  });
}

/** A kind's message in a language with sample facts (a read, though it is posted; `facts`
 * override the samples, such as the customer's name). */
export function usePreview(kind: string | null, language: string, facts: Record<string, string>) {
  return useQuery({
    queryKey: ["notifications", "preview", kind, language, facts],
    enabled: !!kind,
    queryFn: async () => unwrap(await api.POST("/api/accounts/notifications/preview",
      { body: { kind: kind!, language, facts } })),
  });
}

export function useUndeliverable() {
  return useQuery({
    queryKey: ["notifications", "undeliverable"],
    queryFn: async () => unwrap(await api.GET("/api/accounts/notifications/undeliverable")),
  });
}

/** The account numbers of account ids (the staff app opens accounts by number). */
export function useAccountNumbers(ids: string[]): Record<string, string> {
  const answers = useQueries({
    queries: ids.map((id) => ({
      queryKey: ["notifications", "account-number", id],
      staleTime: Infinity,
      queryFn: async () => unwrap(await api.GET("/api/accounts/accounts/{account_id}",
        { params: { path: { account_id: id } } })).number,
    })),
  });
  return Object.fromEntries(ids.flatMap((id, i) => {
    const n = answers[i]?.data;
    return n ? [[id, n]] : [];
  }));
}

/** The development inbox, or null when there is none (mail goes to an SMTP server: 404). */
export function useDevInbox(enabled = true) {
  return useQuery({
    queryKey: ["notifications", "dev-inbox"],
    enabled,
    meta: { quiet: true },
    retry: false,
    queryFn: async () => {
      try {
        return unwrap(await api.GET("/api/mail/dev-inbox"));
      } catch (e) {
        if (e instanceof ApiProblem && (e.status === 404 || e.status === 403)) return null;
        throw e;
      }
    },
  });
}

export type Preference = S["PreferenceOut"];
export type Channels = S["PreferenceIn"]["channels"];

/** How the account's customer wants each kind (staff read; CSRs change it for a caller). */
export function usePreferences(accountId: string) {
  return useQuery({
    queryKey: ["notifications", "preferences", accountId],
    enabled: !!accountId,
    queryFn: async () => unwrap(await api.GET(
      "/api/accounts/notifications/accounts/{account_id}/preferences",
      { params: { path: { account_id: accountId } } })),
  });
}

export function useSetPreference(accountId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async ({ kind, channels, key }: { kind: string; channels: Channels; key: string }) =>
      unwrap(await api.PUT("/api/accounts/notifications/accounts/{account_id}/preferences/{kind}", {
        params: { path: { account_id: accountId, kind } }, body: { channels },
        headers: { "Idempotency-Key": key } })),
    onSuccess: (latest) => client.setQueryData(["notifications", "preferences", accountId], latest),
  });
}
