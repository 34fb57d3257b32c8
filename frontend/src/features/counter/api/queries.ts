/** The cashier's counter: drawers, payments by tender, receipts (payments service). */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";

import type { components } from "@/api/schema";
import { api, unwrap } from "@/lib/api";

type S = components["schemas"];
export type Drawer = S["DrawerOut"];
export type PaymentIn = S["PaymentIn"];
export type Payment = S["PaymentOut"];
export type CounterAccount = S["CounterAccount"];

export const DENOMINATIONS = [
  "100", "50", "20", "10", "5", "2", "1", "0.50", "0.25", "0.10", "0.05", "0.01",
] as const;

/** The caller's open drawer, if any (one per cashier). */
export function useMyDrawer(username: string) {
  return useQuery({
    queryKey: ["drawers", "open"],
    queryFn: async () => unwrap(await api.GET("/api/payments/drawers",
      { params: { query: { status: "open", limit: 500 } } })),
    select: (drawers) => drawers.find((d) => d.cashier === username) ?? null,
  });
}

export function useCounterAccount(number: string) {
  return useQuery({
    queryKey: ["counter-account", number],
    enabled: number.length >= 6,
    retry: false,
    meta: { quiet: true },
    queryFn: async () => unwrap(await api.GET("/api/payments/accounts/{number}",
      { params: { path: { number } } })),
  });
}

export function useOpenDrawer() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async ({ float, key }: { float: string; key: string }) =>
      unwrap(await api.POST("/api/payments/drawers", {
        body: { float_amount: float }, headers: { "Idempotency-Key": key },
      })),
    onSuccess: () => client.invalidateQueries({ queryKey: ["drawers"] }),
  });
}

export function useTakePayment(drawerId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async ({ body, key }: { body: PaymentIn; key: string }) =>
      unwrap(await api.POST("/api/payments/drawers/{drawer_id}/payments", {
        params: { path: { drawer_id: drawerId }, header: { "Idempotency-Key": key } }, body,
      })),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: ["drawers"] });
      void client.invalidateQueries({ queryKey: ["counter-account"] });
    },
  });
}

export function useCloseDrawer(drawerId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async ({ counts, key }: { counts: Record<string, number>; key: string }) =>
      unwrap(await api.POST("/api/payments/drawers/{drawer_id}/close", {
        params: { path: { drawer_id: drawerId } }, body: { counts },
        headers: { "Idempotency-Key": key },
      })),
    onSuccess: () => client.invalidateQueries({ queryKey: ["drawers"] }),
  });
}

/** The caller's closed drawers: waiting for a supervisor's sign-off, or signed off (newest first). */
export function useMyClosedDrawers(username: string) {
  return useQuery({
    queryKey: ["drawers", "closed-of", username],
    queryFn: async () => {
      const [closed, signed] = await Promise.all((["closed", "signed_off"] as const).map(
        async (status) => unwrap(await api.GET("/api/payments/drawers",
          { params: { query: { status, limit: 500 } } }))));
      return [...closed!, ...signed!]
        .filter((d) => d.cashier === username)
        .sort((a, b) => (b.closed_at ?? "").localeCompare(a.closed_at ?? ""))
        .slice(0, 10);
    },
  });
}
