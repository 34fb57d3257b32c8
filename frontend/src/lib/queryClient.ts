/** The one query client: problems from any query or mutation become a notification. */
import { notifications } from "@mantine/notifications";
import { MutationCache, QueryCache, QueryClient } from "@tanstack/react-query";

import { getSession } from "@/lib/auth";
import { ApiProblem } from "@/lib/problem";

export function notifyProblem(error: unknown): void {
  // A 401 after a failed refresh ends the session; the login page says so, not a toast.
  if (error instanceof ApiProblem && error.status === 401 && !getSession()) return;
  const title = error instanceof ApiProblem ? error.problem.title : "Something went wrong";
  const message = error instanceof Error ? error.message : String(error);
  notifications.show({ color: "red", title, message, autoClose: 10_000,
    style: { whiteSpace: "pre-line" } });
}

export function createQueryClient(): QueryClient {
  return new QueryClient({
    // A query marked `meta: { quiet: true }` shows its own state (a lookup as you type).
    queryCache: new QueryCache({
      onError: (error, query) => {
        if (!query.meta?.quiet) notifyProblem(error);
      },
    }),
    mutationCache: new MutationCache({ onError: notifyProblem }),
    defaultOptions: {
      queries: {
        staleTime: 15_000,
        refetchOnWindowFocus: false,
        retry: (count, error) =>
          !(error instanceof ApiProblem && error.status < 500) && count < 2,
      },
      mutations: { retry: false },
    },
  });
}
