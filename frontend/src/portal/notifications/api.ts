/** The customer's choice of channel per kind of message (accounts' notifications). */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";

import type { components } from "@/api/schema";

import { portalApi, unwrap } from "../lib/client";

export type Preference = components["schemas"]["PreferenceOut"];
export type Channels = components["schemas"]["PreferenceIn"]["channels"];

const key = (accountId: string) => ["portal", "contact-preferences", accountId];

export function usePreferences(accountId: string) {
  return useQuery({
    queryKey: key(accountId),
    enabled: !!accountId,
    queryFn: async () => unwrap(await portalApi.GET(
      "/api/accounts/notifications/accounts/{account_id}/preferences",
      { params: { path: { account_id: accountId } } })),
  });
}

/** Each changed kind is put once: `idempotencyKey` names this submission, the kind each PUT. */
export function useSavePreferences(accountId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async ({ changes, idempotencyKey }: {
      changes: [string, Channels][]; idempotencyKey: string;
    }) => {
      let latest: Preference[] | null = null;
      for (const [kind, channels] of changes) {
        latest = unwrap(await portalApi.PUT(
          "/api/accounts/notifications/accounts/{account_id}/preferences/{kind}", {
            params: { path: { account_id: accountId, kind } }, body: { channels },
            headers: { "Idempotency-Key": `${idempotencyKey}:${kind}` } }));
      }
      return latest;
    },
    onSuccess: (latest) => {
      if (latest) qc.setQueryData(key(accountId), latest);
    },
  });
}
