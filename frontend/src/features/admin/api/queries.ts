/** Administration: the gateway's users and roles, dollar authority, each service's parked events. */
import { useMutation, useQueries, useQuery, useQueryClient } from "@tanstack/react-query";

import type { components } from "@/api/schema";
import { api, unwrap } from "@/lib/api";

type S = components["schemas"];
export type User = S["UserOut"];
export type UserCreate = S["UserCreate"];
export type UserUpdate = S["UserUpdate"];
export type Role = S["UserCreate"]["role"];
export type ParkedEvent = S["ParkedEvent"];

export const SERVICES = ["accounts", "billing", "payments", "collections"] as const;
export type Service = (typeof SERVICES)[number];

export function useUsers() {
  return useQuery({
    queryKey: ["users"],
    queryFn: async () => unwrap(await api.GET("/api/auth/users")),
  });
}

export function useRoles() {
  return useQuery({
    queryKey: ["roles"],
    queryFn: async () => unwrap(await api.GET("/api/auth/roles")),
    staleTime: 5 * 60_000,
  });
}

export function useCreateUser() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async ({ body, key }: { body: UserCreate; key: string }) =>
      unwrap(await api.POST("/api/auth/users", { body, headers: { "Idempotency-Key": key } })),
    onSuccess: () => client.invalidateQueries({ queryKey: ["users"] }),
  });
}

export function useUpdateUser() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async ({ username, body, key }: {
      username: string; body: UserUpdate; key: string;
    }) => unwrap(await api.PATCH("/api/auth/users/{username}", {
      params: { path: { username } }, body, headers: { "Idempotency-Key": key } })),
    onSuccess: () => client.invalidateQueries({ queryKey: ["users"] }),
  });
}

async function parked(service: Service): Promise<ParkedEvent[]> {
  switch (service) {
    case "accounts":
      return unwrap(await api.GET("/api/accounts/admin/events/parked",
        { params: { query: { limit: 1000 } } }));
    case "billing":
      return unwrap(await api.GET("/api/billing/admin/events/parked",
        { params: { query: { limit: 1000 } } }));
    case "payments":
      return unwrap(await api.GET("/api/payments/admin/events/parked",
        { params: { query: { limit: 1000 } } }));
    case "collections":
      return unwrap(await api.GET("/api/collections/admin/events/parked",
        { params: { query: { limit: 1000 } } }));
  }
}

/** Every service's parked events (each service keeps its own inbox). */
export function useParked() {
  return useQueries({
    queries: SERVICES.map((service) => ({
      queryKey: ["parked", service],
      queryFn: () => parked(service),
    })),
    combine: (results) => SERVICES.map((service, i) => ({
      service, events: results[i]?.data ?? [], loading: !!results[i]?.isLoading,
      failed: !!results[i]?.isError,
    })),
  });
}

async function replayOne(service: Service, eventId: string, key: string) {
  const opts = { params: { path: { event_id: eventId } }, headers: { "Idempotency-Key": key } };
  switch (service) {
    case "accounts":
      return unwrap(await api.POST("/api/accounts/admin/events/parked/{event_id}/replay", opts));
    case "billing":
      return unwrap(await api.POST("/api/billing/admin/events/parked/{event_id}/replay", opts));
    case "payments":
      return unwrap(await api.POST("/api/payments/admin/events/parked/{event_id}/replay", opts));
    case "collections":
      return unwrap(await api.POST("/api/collections/admin/events/parked/{event_id}/replay",
        opts));
  }
}

async function replayAll(service: Service, key: string) {
  const opts = { headers: { "Idempotency-Key": key } };
  switch (service) {
    case "accounts":
      return unwrap(await api.POST("/api/accounts/admin/events/parked/replay", opts));
    case "billing":
      return unwrap(await api.POST("/api/billing/admin/events/parked/replay", opts));
    case "payments":
      return unwrap(await api.POST("/api/payments/admin/events/parked/replay", opts));
    case "collections":
      return unwrap(await api.POST("/api/collections/admin/events/parked/replay", opts));
  }
}

/** Put one parked event (or all of a service's) back in line; answers how many. */
export function useReplay() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async ({ service, eventId, key }: {
      service: Service; eventId: string | null; key: string;
    }) => eventId ? replayOne(service, eventId, key) : replayAll(service, key),
    onSuccess: (_, { service }) => client.invalidateQueries({ queryKey: ["parked", service] }),
  });
}
