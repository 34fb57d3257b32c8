/** High-usage courtesy calls (billing service) and the leak check ordered from one (accounts). */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";

import type { components } from "@/api/schema";
import { api, unwrap } from "@/lib/api";

type S = components["schemas"];
export type CourtesyItem = S["CourtesyItem"];
export type CallOut = S["CourtesyCall"];
export type Outcome = S["CourtesyCallIn"]["outcome"];
export type Show = "todo" | "done" | "all";

export function useCourtesyWorklist(show: Show, cycle: string) {
  return useQuery({
    queryKey: ["courtesy", show, cycle],
    queryFn: async () => unwrap(await api.GET("/api/billing/courtesy/worklist", {
      params: { query: { show, cycle: cycle || undefined } },
    })),
  });
}

export function useCalls(readId: string | null) {
  return useQuery({
    queryKey: ["courtesy-calls", readId],
    enabled: readId !== null,
    queryFn: async () => unwrap(await api.GET("/api/billing/courtesy/{read_id}/calls", {
      params: { path: { read_id: readId ?? "" } },
    })),
  });
}

export interface CallArgs {
  readId: string;
  outcome: Outcome;
  note: string | null;
  key: string;
}

/** Record one call's outcome (a row per call). */
export function useRecordCall() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async ({ readId, outcome, note, key }: CallArgs) =>
      unwrap(await api.POST("/api/billing/courtesy/{read_id}/calls", {
        params: { path: { read_id: readId } }, body: { outcome, note },
        headers: { "Idempotency-Key": key },
      })),
    onSuccess: () => client.invalidateQueries({ queryKey: ["courtesy"] }),
  });
}

export interface LeakCheckArgs {
  item: CourtesyItem;
  scheduledDate: string;
  key: string;
}

/**
 * The one click: accounts' service-order route places a `leak_check` order for the item's
 * premise, account and meter (with the comparison as its reason), then the call that placed it
 * is recorded with the order's number. Both carry keys derived from one, so a retry after a
 * failure in between places no second order.
 */
export function useOrderLeakCheck() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async ({ item, scheduledDate, key }: LeakCheckArgs) => {
      const order = unwrap(await api.POST("/api/accounts/orders", {
        body: { kind: "leak_check", premise_id: item.premise_id, account_id: item.account_id,
          meter_id: item.meter_id, scheduled_date: scheduledDate,
          reason: item.leak_check_reason },
        headers: { "Idempotency-Key": `${key}-order` },
      }));
      const call = unwrap(await api.POST("/api/billing/courtesy/{read_id}/calls", {
        params: { path: { read_id: item.read_id } },
        body: { outcome: "leak_check_ordered", note: `Leak check order ${order.number}`,
          service_order_id: order.id, service_order_number: order.number },
        headers: { "Idempotency-Key": `${key}-call` },
      }));
      return { order, call };
    },
    onSuccess: () => client.invalidateQueries({ queryKey: ["courtesy"] }),
  });
}
