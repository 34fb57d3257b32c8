import { AppShell, Box, Button, Container, Group, NativeSelect, Text, UnstyledButton } from "@mantine/core";
import { useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { NavLink, Outlet, useNavigate } from "react-router-dom";

import { chooseLanguage, type Language } from "../i18n";
import { portalLogout } from "../lib/session";
import { AccountProvider, useCurrentAccount, useMyAccounts } from "./account";
import classes from "./Layout.module.css";

const TABS = [
  { to: "/", key: "nav.home", end: true },
  { to: "/bills", key: "nav.bills" },
  { to: "/pay", key: "nav.pay" },
  { to: "/usage", key: "nav.usage" },
  { to: "/settings", key: "nav.more" },
] as const;

export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  return (
    <NativeSelect
      aria-label={t("common.language")}
      size="xs"
      value={i18n.language}
      onChange={(e) => chooseLanguage(e.currentTarget.value as Language)}
      data={[{ value: "en", label: "English" }, { value: "es", label: "Español" }]}
    />
  );
}

function AccountPicker() {
  const { t } = useTranslation();
  const { accountId, choose } = useCurrentAccount();
  const accounts = useMyAccounts().data ?? [];
  if (accounts.length < 2) {
    const only = accounts[0];
    return only ? <Text size="sm" c="white">{t("common.accountNo", { number: only.number })}</Text> : null;
  }
  return (
    <NativeSelect aria-label={t("common.account")} size="xs" value={accountId}
      onChange={(e) => choose(e.currentTarget.value)}
      data={accounts.map((a) => ({ value: a.id, label: t("common.accountNo", { number: a.number }) }))} />
  );
}

function Chrome() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const logout = async () => {
    await portalLogout();
    queryClient.clear();
    navigate("/login");
  };
  return (
    <AppShell header={{ height: 64 }} footer={{ height: 64 }} padding="md">
      <AppShell.Header className={classes.header}>
        <Container size="sm" h="100%">
          <Group h="100%" justify="space-between" wrap="nowrap">
            <UnstyledButton component={NavLink} to="/" className={classes.brand}>
              {t("brand")}
            </UnstyledButton>
            <Group gap="xs" wrap="nowrap">
              <AccountPicker />
              <LanguageSwitch />
              <Button variant="white" size="xs" onClick={() => void logout()}>
                {t("nav.logout")}
              </Button>
            </Group>
          </Group>
        </Container>
      </AppShell.Header>
      <AppShell.Main>
        <Container size="sm" px={0} id="main">
          <Outlet />
        </Container>
      </AppShell.Main>
      <AppShell.Footer component="nav" aria-label={t("nav.label")} className={classes.tabs}>
        <Container size="sm" h="100%" px={0}>
          <Group h="100%" grow gap={0} wrap="nowrap">
            {TABS.map((tab) => (
              <Box key={tab.to} component={NavLink} to={tab.to} end={"end" in tab}
                className={classes.tab}>
                {t(tab.key)}
              </Box>
            ))}
          </Group>
        </Container>
      </AppShell.Footer>
    </AppShell>
  );
}

/** Header (account, language, log out) and a bottom tab bar a thumb reaches on a phone. */
export function Layout() {
  return (
    <AccountProvider>
      <Chrome />
    </AccountProvider>
  );
}
