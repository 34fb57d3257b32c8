import { Alert, Anchor, Button, PasswordInput, Radio, Stack, Text, TextInput } from "@mantine/core";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";

import { ApiProblem } from "@/lib/problem";

import { register } from "./api";
import { PublicFrame } from "./PublicFrame";

/** An account number and one fact from a bill prove the account is the customer's. */
export function RegisterPage() {
  const { t, i18n } = useTranslation();
  const [number, setNumber] = useState("");
  const [proof, setProof] = useState<"amount" | "zip">("amount");
  const [fact, setFact] = useState("");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await register({
        account_number: number.replace(/\s/g, ""), email: email.trim(), password,
        language: i18n.language,
        ...(proof === "amount" ? { last_bill_amount: fact.replace(/[$,\s]/g, "") }
          : { service_zip: fact.trim() }),
      });
      setDone(true);
    } catch (err) {
      setError(err instanceof ApiProblem && err.status === 429 ? t("login.tooMany")
        : err instanceof ApiProblem && err.status === 422 ? err.message : t("register.failed"));
    } finally {
      setBusy(false);
    }
  };

  if (done) {
    return (
      <PublicFrame title={t("register.checkEmail")}>
        <Text role="status">{t("register.sent", { email })}</Text>
      </PublicFrame>
    );
  }
  return (
    <PublicFrame title={t("register.title")}>
      <form onSubmit={(e) => void submit(e)}>
        <Stack>
          {error && <Alert color="red" role="alert">{error}</Alert>}
          <TextInput label={t("register.number")} description={t("register.numberHelp")}
            inputMode="numeric" required value={number} autoFocus
            onChange={(e) => setNumber(e.currentTarget.value)} />
          <Radio.Group label={t("register.proof")} value={proof}
            onChange={(v) => { setProof(v as "amount" | "zip"); setFact(""); }}>
            <Stack gap="xs" mt="xs">
              <Radio value="amount" label={t("register.byAmount")} />
              <Radio value="zip" label={t("register.byZip")} />
            </Stack>
          </Radio.Group>
          <TextInput label={proof === "amount" ? t("register.amount") : t("register.zip")}
            inputMode="decimal" required value={fact}
            onChange={(e) => setFact(e.currentTarget.value)} />
          <TextInput label={t("login.email")} type="email" autoComplete="email" required
            value={email} onChange={(e) => setEmail(e.currentTarget.value)} />
          <PasswordInput label={t("register.password")} description={t("register.passwordHelp")}
            autoComplete="new-password" required minLength={12}
            value={password} onChange={(e) => setPassword(e.currentTarget.value)} />
          <Button type="submit" loading={busy}>{t("register.submit")}</Button>
          <Text size="sm"><Anchor component={Link} to="/login">{t("register.haveLogin")}</Anchor></Text>
        </Stack>
      </form>
    </PublicFrame>
  );
}
