import { Alert, Anchor, Button, Card, Group, Stack, Switch, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";

import { useIdempotencyKey } from "@/hooks/useIdempotencyKey";

import { useCurrentAccount, useMyAccounts } from "../app/account";
import { PageTitle } from "../app/PageTitle";
import { useLocale } from "../i18n";
import { formatAmount } from "../lib/format";
import { useBudgetEnrol, useBudgetOffer, usePaperless } from "../lib/queries";
import { LinkAccountCard } from "./LinkAccountCard";

function PaperlessCard({ accountId }: { accountId: string }) {
  const { t } = useTranslation();
  const account = (useMyAccounts().data ?? []).find((a) => a.id === accountId);
  const paperless = usePaperless(accountId);
  const on = paperless.isPending ? !!paperless.variables : !!account?.paperless;
  return (
    <Card withBorder>
      <Stack gap="xs">
        <Switch size="lg" label={t("settings.paperless")} description={t("settings.paperlessHelp")}
          checked={on} disabled={!account || paperless.isPending}
          onChange={(e) => paperless.mutate(e.currentTarget.checked)} />
        {paperless.isSuccess && (
          <Text role="status" size="sm" c="teal.9">
            {paperless.data.paperless ? t("settings.paperlessOn") : t("settings.paperlessOff")}
          </Text>
        )}
      </Stack>
    </Card>
  );
}

function BudgetCard({ accountId }: { accountId: string }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const offer = useBudgetOffer(accountId).data;
  const enrol = useBudgetEnrol(accountId);
  const [key] = useIdempotencyKey();
  if (!offer) return null;
  return (
    <Card withBorder>
      <Text component="h2" fw={600}>{t("settings.budget")}</Text>
      {offer.enrolled ? (
        <Alert color="teal" role="status" mt="xs">{t("settings.budgetOn")}</Alert>
      ) : offer.eligible ? (
        <Stack gap="xs" mt="xs">
          <Text>{t("settings.budgetOffer", { amount: formatAmount(offer.monthly_amount, locale) })}</Text>
          <Button onClick={() => enrol.mutate(key)} loading={enrol.isPending}>{t("settings.budgetEnrol")}</Button>
        </Stack>
      ) : (
        <Text size="sm" c="dimmed" mt="xs">{t("settings.budgetNot")}</Text>
      )}
    </Card>
  );
}

/** Paperless, budget billing, and the way to everything else a customer sets. */
export function SettingsPage() {
  const { t } = useTranslation();
  const { accountId } = useCurrentAccount();
  const links = [["/autopay", "nav.autopay"], ["/methods", "nav.methods"], ["/schedules", "nav.schedules"],
    ["/text-to-pay", "nav.text"], ["/usage/alerts", "nav.alerts"], ["/notifications", "nav.contact"], ["/requests", "nav.requests"],
    ["/security", "nav.security"]] as const;
  return (
    <Stack>
      <PageTitle>{t("settings.title")}</PageTitle>
      <PaperlessCard accountId={accountId} />
      <BudgetCard accountId={accountId} />
      <LinkAccountCard />
      <Card withBorder>
        <Stack gap="sm" component="ul" style={{ listStyle: "none", margin: 0, padding: 0 }}>
          {links.map(([to, key]) => (
            <li key={to}><Anchor component={Link} to={to} fw={600}>{t(key)}</Anchor></li>
          ))}
        </Stack>
      </Card>
      <Group><Text size="sm" c="dimmed">{t("settings.help")}</Text></Group>
    </Stack>
  );
}
