import { Badge, Button, Card, Group, Skeleton, Stack, Text } from "@mantine/core";
import { useEffect, useRef } from "react";
import { useTranslation } from "react-i18next";
import { useSearchParams } from "react-router-dom";

import { useCurrentAccount } from "../app/account";
import { PageTitle } from "../app/PageTitle";
import { useMethodActions, useMethods } from "../lib/queries";

/** Saved cards and bank accounts (masked). A new one is entered on the processor's page; back
 * here with its setup id, it is saved. */
export function MethodsPage() {
  const { t } = useTranslation();
  const { accountId } = useCurrentAccount();
  const methods = useMethods(accountId);
  const { setup, save, makeDefault, remove } = useMethodActions(accountId);
  const [params, setParams] = useSearchParams();
  const setupId = params.get("setup_id");
  const saving = useRef<string | null>(null);
  useEffect(() => {
    if (!setupId || !accountId || saving.current === setupId) return;
    saving.current = setupId;
    save.mutate(setupId, { onSettled: () => setParams({}, { replace: true }) });
  }, [setupId, accountId, save, setParams]);

  const add = async () => {
    const page = await setup.mutateAsync();
    window.location.assign(page.url);
  };
  const live = (methods.data ?? []).filter((m) => !m.removed_at);
  return (
    <Stack>
      <PageTitle>{t("methods.title")}</PageTitle>
      {save.isSuccess && <Text role="status" c="teal.9">{t("methods.saved")}</Text>}
      {methods.isLoading ? <Skeleton h={80} /> : live.length === 0 ? <Text>{t("methods.none")}</Text> : (
        <Stack gap="sm">
          {live.map((m) => (
            <Card withBorder key={m.id}>
              <Group justify="space-between" wrap="nowrap">
                <Group gap="xs">
                  <Text fw={600}>{m.display}</Text>
                  {m.is_default && <Badge>{t("methods.default")}</Badge>}
                </Group>
                <Group gap="xs">
                  {!m.is_default && (
                    <Button size="xs" variant="light" onClick={() => makeDefault.mutate(m.id)}>
                      {t("methods.makeDefault")}
                    </Button>
                  )}
                  <Button size="xs" color="red" variant="subtle" onClick={() => remove.mutate(m.id)}
                    aria-label={t("methods.removeOne", { method: m.display })}>
                    {t("methods.remove")}
                  </Button>
                </Group>
              </Group>
            </Card>
          ))}
        </Stack>
      )}
      <Button onClick={() => void add().catch(() => undefined)} loading={setup.isPending}>
        {t("methods.add")}
      </Button>
    </Stack>
  );
}
