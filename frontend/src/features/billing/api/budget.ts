/** Budget billing on one account (billing's ledger). */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";

import type { components } from "@/api/schema";
import { api, unwrap } from "@/lib/api";
import { ApiProblem } from "@/lib/problem";

export type Budget = components["schemas"]["BudgetOut"];
export type Settlement = components["schemas"]["SettlementOut"];

/** The account's plan, or null when it is not on budget billing (the API answers 404). */
export function useBudget(accountId: string) {
  return useQuery({
    queryKey: ["budget", accountId],
    meta: { quiet: true },
    retry: false,
    queryFn: async (): Promise<Budget | null> => {
      try {
        return unwrap(await api.GET("/api/billing/ledger/budget/{account_id}",
          { params: { path: { account_id: accountId } } }));
      } catch (e) {
        if (e instanceof ApiProblem && e.status === 404) return null;
        throw e;
      }
    },
  });
}

export function useEnrolBudget(accountId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (key: string) =>
      unwrap(await api.POST("/api/billing/ledger/budget", {
        body: { account_id: accountId }, headers: { "Idempotency-Key": key },
      })),
    onSuccess: (plan) => client.setQueryData(["budget", accountId], plan),
  });
}

export function useSettleBudget(accountId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (key: string) =>
      unwrap(await api.POST("/api/billing/ledger/budget/{account_id}/settle", {
        params: { path: { account_id: accountId } }, headers: { "Idempotency-Key": key },
      })),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: ["budget", accountId] });
      void client.invalidateQueries({ queryKey: ["ledger"] });
    },
  });
}
