import { Alert, Anchor, Button, PasswordInput, Stack, Text, TextInput } from "@mantine/core";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";

import { confirmReset, requestReset } from "./api";
import { PublicFrame } from "./PublicFrame";
import { linkToken } from "./VerifyPage";

/** Ask for a reset link: the answer is the same whether or not the address has a login. */
export function ResetPage() {
  const { t, i18n } = useTranslation();
  const [email, setEmail] = useState("");
  const [sent, setSent] = useState(false);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    try {
      await requestReset(email.trim(), i18n.language);
    } catch {
      // the same message either way: nothing tells whether the address has a login
    }
    setBusy(false);
    setSent(true);
  };
  return (
    <PublicFrame title={t("reset.title")}>
      {sent ? <Text role="status">{t("reset.sent")}</Text> : (
        <form onSubmit={(e) => void submit(e)}>
          <Stack>
            <TextInput label={t("login.email")} type="email" required autoFocus value={email}
              onChange={(e) => setEmail(e.currentTarget.value)} />
            <Button type="submit" loading={busy}>{t("reset.submit")}</Button>
            <Anchor component={Link} to="/login" size="sm">{t("register.haveLogin")}</Anchor>
          </Stack>
        </form>
      )}
    </PublicFrame>
  );
}

export function ResetConfirmPage() {
  const { t } = useTranslation();
  const [password, setPassword] = useState("");
  const [state, setState] = useState<"form" | "done" | "failed">("form");
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    try {
      await confirmReset(linkToken(), password);
      setState("done");
    } catch {
      setState("failed");
    } finally {
      setBusy(false);
    }
  };
  return (
    <PublicFrame title={t("reset.newTitle")}>
      {state === "done" ? (
        <Text role="status">{t("reset.done")} <Anchor component={Link} to="/login">{t("login.submit")}</Anchor></Text>
      ) : (
        <form onSubmit={(e) => void submit(e)}>
          <Stack>
            {state === "failed" && <Alert color="red" role="alert">{t("reset.failed")}</Alert>}
            <PasswordInput label={t("register.password")} description={t("register.passwordHelp")}
              autoComplete="new-password" required minLength={12} autoFocus value={password}
              onChange={(e) => setPassword(e.currentTarget.value)} />
            <Button type="submit" loading={busy}>{t("reset.save")}</Button>
          </Stack>
        </form>
      )}
    </PublicFrame>
  );
}
