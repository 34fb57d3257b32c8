/** Which of the login's accounts the customer is looking at (a login may hold several). */
import { useQuery } from "@tanstack/react-query";
import { createContext, useContext, useMemo, useState, type ReactNode } from "react";

import { portalApi, unwrap } from "../lib/client";
import { usePortalSession } from "../lib/session";

interface Current {
  accountId: string;
  choose: (id: string) => void;
}

const AccountContext = createContext<Current | null>(null);

export function AccountProvider({ children }: { children: ReactNode }) {
  const session = usePortalSession();
  const ids = session?.accounts ?? [];
  const [chosen, choose] = useState<string | null>(null);
  const accountId = chosen && ids.includes(chosen) ? chosen : ids[0] ?? "";
  const value = useMemo(() => ({ accountId, choose }), [accountId]);
  return <AccountContext.Provider value={value}>{children}</AccountContext.Provider>;
}

export function useCurrentAccount(): Current {
  const value = useContext(AccountContext);
  if (!value) throw new Error("useCurrentAccount outside AccountProvider");
  return value;
}

/** The login's accounts as accounts knows them (number, status, paperless). */
export function useMyAccounts() {
  const session = usePortalSession();
  return useQuery({
    queryKey: ["portal", "my-accounts", session?.accounts.join(",")],
    enabled: !!session,
    queryFn: async () => unwrap(await portalApi.GET("/api/accounts/accounts/mine")),
  });
}
