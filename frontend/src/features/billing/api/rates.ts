/** Rate schedule versions (billing service). */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";

import type { components } from "@/api/schema";
import { api, unwrap } from "@/lib/api";

type S = components["schemas"];
export type RateVersion = S["RateVersionOut"];
export type RateVersionIn = S["RateVersionIn"];

export function useRateVersions() {
  return useQuery({
    queryKey: ["rate-versions"],
    queryFn: async () => unwrap(await api.GET("/api/billing/rates/versions")),
  });
}

export function useCreateRateVersion() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async ({ body, key }: { body: RateVersionIn; key: string }) =>
      unwrap(await api.POST("/api/billing/rates/versions",
        { body, headers: { "Idempotency-Key": key } })),
    onSuccess: () => client.invalidateQueries({ queryKey: ["rate-versions"] }),
  });
}

/** Each premise's wastewater basis from its water use in the winter window. */
export function useWinterAverages() {
  return useMutation({
    mutationFn: async ({ start, end, key }: { start: string; end: string; key: string }) =>
      unwrap(await api.POST("/api/billing/rates/winter-averages", {
        body: { winter_start: start, winter_end: end }, headers: { "Idempotency-Key": key },
      })),
  });
}
