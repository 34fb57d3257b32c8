/**
 * Field work: accounts' service orders (create, dispatch, cancel, the technician's worklist and
 * completion with a read). A disconnect for non-payment that collections asked for is completed
 * through collections, which checks SB 998's guardrails on the day (accounts refuses it).
 */
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";

import type { components } from "@/api/schema";
import { api, unwrap } from "@/lib/api";

type S = components["schemas"];
export type Order = S["OrderOut"];
export type OrderIn = S["OrderIn"];
export type OrderKind = OrderIn["kind"];
export type SearchHit = S["SearchHit"];

export const KIND_LABELS: Record<OrderKind, string> = {
  turn_on: "Turn on", turn_off: "Turn off", re_read: "Re-read", leak_check: "Leak check",
  high_bill_investigation: "High-bill investigation", meter_exchange: "Meter exchange",
  door_tag: "Door tag", disconnect_nonpayment: "Disconnect (non-payment)", reconnect: "Reconnect",
  backflow_test: "Backflow test",
};

/** The collections field order behind an accounts order, if collections asked for it. */
export function collectionsOrderId(order: Pick<Order, "reference">): string | null {
  const m = /^collections:([0-9a-f-]{36})$/i.exec(order.reference ?? "");
  return m?.[1] ?? null;
}

/** Open and dispatched orders due by `through`, in walking order along each route. */
export function useWorklist(through: string, technician: string | null) {
  return useQuery({
    queryKey: ["orders", "worklist", through, technician],
    placeholderData: keepPreviousData,
    refetchInterval: 60_000,
    queryFn: async () => unwrap(await api.GET("/api/accounts/orders/worklist", {
      params: { query: { through, technician: technician ?? undefined } },
    })),
  });
}

export function useOrders(status: Order["status"] | null) {
  return useQuery({
    queryKey: ["orders", "list", status],
    queryFn: async () => unwrap(await api.GET("/api/accounts/orders", {
      params: { query: { status: status ?? undefined, limit: 200 } },
    })),
  });
}

export interface Completion {
  read: string | null;
  notes: string | null;
}

export function useCompleteOrder() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async ({ order, done, key }: { order: Order; done: Completion; key: string }) => {
      const fieldOrder = collectionsOrderId(order);
      if (order.kind === "disconnect_nonpayment" && fieldOrder) {
        unwrap(await api.POST("/api/collections/field/orders/{order_id}/complete", {
          params: { path: { order_id: fieldOrder } }, body: { notes: done.notes },
          headers: { "Idempotency-Key": key },
        }));
        return order;
      }
      return unwrap(await api.POST("/api/accounts/orders/{order_id}/complete", {
        params: { path: { order_id: order.id } },
        body: { read: done.read, notes: done.notes },
        headers: { "Idempotency-Key": key },
      }));
    },
    onSuccess: () => client.invalidateQueries({ queryKey: ["orders"] }),
  });
}

export function useCreateOrder() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async ({ body, key }: { body: OrderIn; key: string }) =>
      unwrap(await api.POST("/api/accounts/orders", { body, headers: { "Idempotency-Key": key } })),
    onSuccess: () => client.invalidateQueries({ queryKey: ["orders"] }),
  });
}

export function useDispatch() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async ({ id, technician }: { id: string; technician: string }) =>
      unwrap(await api.POST("/api/accounts/orders/{order_id}/dispatch", {
        params: { path: { order_id: id } }, body: { technician },
      })),
    onSuccess: () => client.invalidateQueries({ queryKey: ["orders"] }),
  });
}

export function useCancelOrder() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async ({ id, reason }: { id: string; reason: string }) =>
      unwrap(await api.POST("/api/accounts/orders/{order_id}/cancel", {
        params: { path: { order_id: id } }, body: { reason },
      })),
    onSuccess: () => client.invalidateQueries({ queryKey: ["orders"] }),
  });
}

/** Premises by address, APN, account, name … (accounts' search), for a new order. */
export function usePremiseSearch(q: string) {
  const query = q.trim();
  return useQuery({
    queryKey: ["orders", "premise-search", query],
    enabled: query.length >= 2,
    placeholderData: keepPreviousData,
    meta: { quiet: true },
    queryFn: async ({ signal }) => unwrap(await api.GET("/api/accounts/search", {
      params: { query: { q: query, entity: "premise", limit: 8 } }, signal,
    })),
  });
}

export async function accountIdOf(number: string): Promise<string | null> {
  const answer = await api.GET("/api/accounts/accounts/by-number/{number}", { params: { path: { number } } });
  return answer.response.ok && answer.data ? answer.data.id : null;
}
