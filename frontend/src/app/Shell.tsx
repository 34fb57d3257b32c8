import { AppShell, Burger, Button, Group, NavLink, Text, Title } from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { useQueryClient } from "@tanstack/react-query";
import { useCallback } from "react";
import { NavLink as RouterLink, Outlet, useLocation, useNavigate } from "react-router-dom";

import { GlobalSearch, type SearchHit } from "@/features/search";
import { useIdleTimeout } from "@/hooks/useIdleTimeout";
import { logout, useSession } from "@/lib/auth";
import { can } from "@/lib/permissions";

import { navFor } from "./nav";

export const IDLE_MINUTES = 15;

/** Header with search and the user, navigation by role, the current screen. */
export function Shell() {
  const session = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const client = useQueryClient();
  const [opened, { toggle, close }] = useDisclosure();

  const end = useCallback((reason: "logout" | "idle") => {
    client.clear(); // nothing of the last user's data stays in memory
    void logout(reason);
  }, [client]);
  useIdleTimeout(!!session, IDLE_MINUTES, useCallback(() => end("idle"), [end]));

  function open(hit: SearchHit) {
    if (hit.account_number) navigate(`/accounts/${encodeURIComponent(hit.account_number)}`);
    else navigate(`/premises/${encodeURIComponent(hit.id)}`); // a vacant premise: move-in there
  }

  return (
    <AppShell header={{ height: 60 }} navbar={{ width: 200, breakpoint: "sm",
      collapsed: { mobile: !opened } }} padding="md">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group wrap="nowrap">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm"
              aria-label="Navigation" />
            <Title order={2} size="h4">Tapline</Title>
            {can(session?.role, "accounts.read") && <GlobalSearch onPick={open} />}
          </Group>
          <Group wrap="nowrap" gap="xs">
            <Text size="sm" visibleFrom="sm">{session?.username} ({session?.role})</Text>
            <Button variant="default" size="xs" onClick={() => end("logout")}>Log out</Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" aria-label="Main">
        {navFor(session?.role).map((item) => (
          <NavLink key={item.to} component={RouterLink} to={item.to} label={item.label}
            onClick={close}
            active={item.to === "/" ? location.pathname === "/" ||
              location.pathname.startsWith("/accounts") : location.pathname.startsWith(item.to)} />
        ))}
      </AppShell.Navbar>
      <AppShell.Main>
        <Outlet />
      </AppShell.Main>
    </AppShell>
  );
}
