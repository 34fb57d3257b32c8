import { Alert, Anchor, Button, PasswordInput, Stack, Text, TextInput } from "@mantine/core";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Link, useLocation, useNavigate } from "react-router-dom";

import { ApiProblem } from "@/lib/problem";

import { logIn, TOTP_REQUIRED } from "./api";
import { PublicFrame } from "./PublicFrame";

/** E-mail and password; a TOTP code when the login has one set up. */
export function LoginPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const from = (useLocation().state as { from?: string } | null)?.from ?? "/";
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [code, setCode] = useState("");
  const [needsCode, setNeedsCode] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await logIn(email.trim(), password, needsCode ? code.trim() : undefined);
      navigate(from, { replace: true });
    } catch (err) {
      const problem = err instanceof ApiProblem ? err.problem : null;
      if (problem?.code === TOTP_REQUIRED) {
        setNeedsCode(true);
      } else if (problem?.status === 429) {
        setError(t("login.tooMany"));
      } else if (problem?.code === "email-unverified") {
        setError(t("login.notVerified"));
      } else {
        setError(t("login.failed"));
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <PublicFrame title={t("login.title")}>
      <form onSubmit={(e) => void submit(e)}>
        <Stack>
          {error && <Alert color="red" role="alert">{error}</Alert>}
          <TextInput label={t("login.email")} type="email" autoComplete="username" required
            value={email} onChange={(e) => setEmail(e.currentTarget.value)} autoFocus />
          <PasswordInput label={t("login.password")} autoComplete="current-password" required
            value={password} onChange={(e) => setPassword(e.currentTarget.value)} />
          {needsCode && (
            <TextInput label={t("login.code")} description={t("login.codeHelp")}
              inputMode="numeric" autoComplete="one-time-code" required autoFocus
              value={code} onChange={(e) => setCode(e.currentTarget.value)} />
          )}
          <Button type="submit" loading={busy}>{t("login.submit")}</Button>
          <Text size="sm">
            <Anchor component={Link} to="/register">{t("login.register")}</Anchor>
            {" · "}
            <Anchor component={Link} to="/reset">{t("login.forgot")}</Anchor>
          </Text>
        </Stack>
      </form>
    </PublicFrame>
  );
}
