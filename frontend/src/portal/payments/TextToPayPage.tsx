import { Alert, Badge, Button, Card, Group, NativeSelect, Stack, Text, TextInput } from "@mantine/core";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";

import { useCurrentAccount } from "../app/account";
import { PageTitle } from "../app/PageTitle";
import { useMethods, useTextToPay, useTextToPayActions } from "../lib/queries";

/** Each bill texted to the customer's phone; replying PAY pays it with the chosen method. */
export function TextToPayPage() {
  const { t } = useTranslation();
  const { accountId } = useCurrentAccount();
  const current = useTextToPay(accountId).data;
  const methods = (useMethods(accountId).data ?? []).filter((m) => !m.removed_at);
  const { enrol, confirm, stop } = useTextToPayActions(accountId);
  const [phone, setPhone] = useState("");
  const [methodId, setMethodId] = useState("");
  const [code, setCode] = useState("");

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const chosen = methodId || methods[0]?.id;
    if (chosen) enrol.mutate({ phone: phone.trim(), method_id: chosen });
  };
  const submitCode = (e: FormEvent) => {
    e.preventDefault();
    confirm.mutate(code.trim());
  };
  const live = current && current.status !== "cancelled" ? current : null;
  return (
    <Stack>
      <PageTitle>{t("text.title")}</PageTitle>
      <Text>{t("text.intro")}</Text>
      {live?.status === "active" && (
        <Card withBorder>
          <Group justify="space-between">
            <div>
              <Badge color="teal">{t("text.active")}</Badge>
              <Text mt="xs">{live.phone} · {live.method_display}</Text>
            </div>
            <Button color="red" variant="light" onClick={() => stop.mutate()}>{t("text.stop")}</Button>
          </Group>
        </Card>
      )}
      {live?.status === "pending" && (
        <Card withBorder>
          <form onSubmit={submitCode}>
            <Stack>
              <Alert color="blue" role="status">{t("text.codeSent", { phone: live.phone })}</Alert>
              <TextInput label={t("text.code")} inputMode="numeric" required maxLength={6}
                autoComplete="one-time-code" value={code} onChange={(e) => setCode(e.currentTarget.value)} />
              <Button type="submit" loading={confirm.isPending}>{t("text.confirm")}</Button>
            </Stack>
          </form>
        </Card>
      )}
      {!live && (
        <Card withBorder>
          {methods.length === 0 ? <Text>{t("schedules.needMethod")}</Text> : (
            <form onSubmit={submit}>
              <Stack>
                <TextInput label={t("text.phone")} type="tel" autoComplete="tel" required
                  value={phone} onChange={(e) => setPhone(e.currentTarget.value)} />
                <NativeSelect label={t("schedules.method")} value={methodId || methods[0]?.id}
                  onChange={(e) => setMethodId(e.currentTarget.value)}
                  data={methods.map((m) => ({ value: m.id, label: m.display }))} />
                <Button type="submit" loading={enrol.isPending}>{t("text.enrol")}</Button>
              </Stack>
            </form>
          )}
        </Card>
      )}
    </Stack>
  );
}
