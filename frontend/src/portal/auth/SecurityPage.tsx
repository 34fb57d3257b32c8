import { Alert, Button, Code, Image, Stack, Text, TextInput, Title } from "@mantine/core";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";

import { confirmTotp, startTotp, type TotpSetup } from "./api";

/** Optional second factor: a QR code (or the key) for an authenticator app, then one code to confirm it. */
export function SecurityPage() {
  const { t } = useTranslation();
  const [setup, setSetup] = useState<TotpSetup | null>(null);
  const [code, setCode] = useState("");
  const [state, setState] = useState<"idle" | "done" | "failed">("idle");
  const begin = async () => setSetup(await startTotp());
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    try {
      await confirmTotp(code.trim());
      setState("done");
    } catch {
      setState("failed");
    }
  };
  return (
    <Stack>
      <Title order={1} size="h2">{t("security.title")}</Title>
      <Text>{t("security.intro")}</Text>
      {state === "done" ? <Alert color="teal" role="status">{t("security.done")}</Alert> : !setup ? (
        <Button onClick={() => void begin()}>{t("security.start")}</Button>
      ) : (
        <form onSubmit={(e) => void submit(e)}>
          <Stack>
            <Text>{t("security.key")}</Text>
            <Image src={setup.qr_code} alt={t("security.qrAlt")} w={200} h={200} fit="contain" />
            <Code block aria-label={t("security.keyLabel")}>{setup.secret}</Code>
            {state === "failed" && <Alert color="red" role="alert">{t("security.failed")}</Alert>}
            <TextInput label={t("login.code")} inputMode="numeric" autoComplete="one-time-code"
              required value={code} onChange={(e) => setCode(e.currentTarget.value)} />
            <Button type="submit">{t("security.confirm")}</Button>
          </Stack>
        </form>
      )}
    </Stack>
  );
}
