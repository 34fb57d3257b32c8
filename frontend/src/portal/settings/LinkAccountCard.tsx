import { Alert, Button, Card, Stack, Text, TextInput } from "@mantine/core";
import { useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";

import { linkAccount } from "../auth/api";
import { getPortalSession, sessionFromTokens, setPortalSession } from "../lib/session";

/** Another account under the same login, proven like the first (its number and the amount of
 * its last bill); the new tokens name both. */
export function LinkAccountCard() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [number, setNumber] = useState("");
  const [amount, setAmount] = useState("");
  const [state, setState] = useState<"idle" | "busy" | "done" | "failed">("idle");
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setState("busy");
    try {
      const tokens = await linkAccount({ account_number: number.replace(/\s/g, ""),
        last_bill_amount: amount.replace(/[$,\s]/g, "") });
      setPortalSession(sessionFromTokens(tokens, getPortalSession()?.email ?? ""));
      await queryClient.invalidateQueries({ queryKey: ["portal", "my-accounts"] });
      setNumber("");
      setAmount("");
      setState("done");
    } catch {
      setState("failed");
    }
  };
  return (
    <Card withBorder>
      <form onSubmit={(e) => void submit(e)}>
        <Stack>
          <Text component="h2" fw={600}>{t("link.title")}</Text>
          {state === "done" && <Alert color="teal" role="status">{t("link.done")}</Alert>}
          {state === "failed" && <Alert color="red" role="alert">{t("register.failed")}</Alert>}
          <TextInput label={t("register.number")} inputMode="numeric" required value={number}
            onChange={(e) => setNumber(e.currentTarget.value)} />
          <TextInput label={t("register.amount")} inputMode="decimal" required value={amount}
            onChange={(e) => setAmount(e.currentTarget.value)} />
          <Button type="submit" variant="light" loading={state === "busy"}>{t("link.submit")}</Button>
        </Stack>
      </form>
    </Card>
  );
}
