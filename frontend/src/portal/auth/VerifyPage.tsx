import { Alert, Anchor, Loader, Text } from "@mantine/core";
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";

import { verifyEmail } from "./api";
import { PublicFrame } from "./PublicFrame";

/** The link from the e-mail: its token in the fragment (never sent in a request line or kept
 * in a server's log) or, from older mails, the query. */
export function linkToken(): string {
  const fromHash = new URLSearchParams(window.location.hash.slice(1)).get("token");
  return fromHash ?? new URLSearchParams(window.location.search).get("token") ?? "";
}

export function VerifyPage() {
  const { t } = useTranslation();
  const [state, setState] = useState<"working" | "done" | "failed">("working");
  const once = useRef(false);
  useEffect(() => {
    if (once.current) return;
    once.current = true;
    verifyEmail(linkToken()).then(() => setState("done"), () => setState("failed"));
  }, []);
  return (
    <PublicFrame title={t("verify.title")}>
      {state === "working" && <Loader aria-label={t("verify.working")} />}
      {state === "done" && (
        <Text role="status">
          {t("verify.done")} <Anchor component={Link} to="/login">{t("login.submit")}</Anchor>
        </Text>
      )}
      {state === "failed" && <Alert color="red" role="alert">{t("verify.failed")}</Alert>}
    </PublicFrame>
  );
}
