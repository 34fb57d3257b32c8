import { Alert, Button, Loader, Stack, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";

import { useCurrentAccount } from "../app/account";
import { PageTitle } from "../app/PageTitle";
import { useLocale } from "../i18n";
import { formatAmount } from "../lib/format";
import { useStartedPayment } from "../lib/queries";
import { STARTED_KEY } from "./PayPage";

/** Back from the processor's page: the payment posts when its webhook arrives; we wait for it. */
export function PayDonePage() {
  const { t } = useTranslation();
  const locale = useLocale();
  const { accountId } = useCurrentAccount();
  const paymentId = sessionStorage.getItem(STARTED_KEY);
  const payment = useStartedPayment(accountId, paymentId).data;
  return (
    <Stack>
      <PageTitle>{t("pay.doneTitle")}</PageTitle>
      {!payment ? <Loader aria-label={t("pay.checking")} /> : payment.status === "posted" ? (
        <Alert color="teal" role="status" title={t("pay.thanks")}>
          {t("pay.posted", { amount: formatAmount(payment.amount, locale) })}
        </Alert>
      ) : payment.status === "declined" ? (
        <Alert color="red" role="alert">{t("pay.declined")}</Alert>
      ) : (
        <Alert color="blue" role="status">
          <Text>{t("pay.processing", { amount: formatAmount(payment.amount, locale) })}</Text>
        </Alert>
      )}
      <Button component={Link} to="/" variant="light">{t("nav.home")}</Button>
    </Stack>
  );
}
