import { Button, Card, Checkbox, Skeleton, Stack, Text } from "@mantine/core";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";

import { useCurrentAccount } from "../app/account";
import { PageTitle } from "../app/PageTitle";
import { useAlertPreferences, useSaveAlertPreferences, type AlertPreferences } from "./api";

/** How the customer hears of a suspected leak: e-mail, text, and which kinds. */
export function AlertsPage() {
  const { t } = useTranslation();
  const { accountId } = useCurrentAccount();
  const saved = useAlertPreferences(accountId).data;
  const save = useSaveAlertPreferences(accountId);
  // What the customer changed; until then the saved choices show.
  const [edited, setPrefs] = useState<AlertPreferences | null>(null);
  const prefs: AlertPreferences | null = edited ?? (saved ? {
    email: saved.email, text: saved.text, continuous: saved.continuous, burst: saved.burst,
  } : null);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (prefs) save.mutate(prefs);
  };
  const flag = (name: keyof AlertPreferences, label: string) => prefs && (
    <Checkbox size="md" label={label} checked={!!prefs[name]}
      onChange={(e) => setPrefs({ ...prefs, [name]: e.currentTarget.checked })} />
  );
  return (
    <Stack>
      <PageTitle>{t("alerts.title")}</PageTitle>
      <Text>{t("alerts.intro")}</Text>
      <Card withBorder>
        {!prefs ? <Skeleton h={160} /> : (
          <form onSubmit={submit}>
            <Stack>
              <Text component="h2" fw={600}>{t("alerts.how")}</Text>
              {flag("email", t("alerts.email"))}
              {flag("text", t("alerts.text"))}
              <Text component="h2" fw={600}>{t("alerts.which")}</Text>
              {flag("continuous", t("alerts.continuous"))}
              {flag("burst", t("alerts.burst"))}
              <Button type="submit" loading={save.isPending}>{t("common.save")}</Button>
              {save.isSuccess && <Text role="status" c="teal.9">{t("alerts.saved")}</Text>}
            </Stack>
          </form>
        )}
      </Card>
    </Stack>
  );
}
