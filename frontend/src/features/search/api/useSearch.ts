import { keepPreviousData, useQuery } from "@tanstack/react-query";

import type { components } from "@/api/schema";
import { api, unwrap } from "@/lib/api";

export type SearchHit = components["schemas"]["SearchHit"];

/** Accounts' search over name, address, account number, phone, e-mail, meter serial and APN. */
export function useSearch(q: string) {
  const query = q.trim();
  return useQuery({
    queryKey: ["search", query],
    enabled: query.length >= 2,
    staleTime: 30_000,
    placeholderData: keepPreviousData,
    queryFn: async ({ signal }) =>
      unwrap(await api.GET("/api/accounts/search", { params: { query: { q: query, limit: 10 } },
        signal })),
  });
}
