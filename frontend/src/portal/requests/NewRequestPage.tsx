import { Alert, Badge, Button, Card, Group, NativeSelect, Stack, Text, Textarea, TextInput } from "@mantine/core";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Link, useSearchParams } from "react-router-dom";

import { useIdempotencyKey } from "@/hooks/useIdempotencyKey";

import { useCurrentAccount } from "../app/account";
import { LeaveGuard } from "../app/LeaveGuard";
import { PageTitle } from "../app/PageTitle";
import { useLocale } from "../i18n";
import { formatAmount, formatDay } from "../lib/format";
import { useBills, useFileRequest, type RequestIn, type ServiceRequest } from "../lib/queries";
import { STATUS_COLOR } from "./RequestsPage";

type Kind = RequestIn["kind"];
const KINDS: Kind[] = ["start", "stop", "transfer", "high_bill_review", "contact"];

/** What each kind asks for (the server checks the same). */
export function needs(kind: Kind): { date: boolean; address: boolean; bill: boolean } {
  return { date: kind === "start" || kind === "stop" || kind === "transfer",
    address: kind === "start" || kind === "transfer", bill: kind === "high_bill_review" };
}

function Confirmation({ request }: { request: ServiceRequest }) {
  const { t } = useTranslation();
  return (
    <Card withBorder>
      <Stack role="status">
        <Text fw={700} fz="lg">{t("requests.thanks")}</Text>
        <Text>{t("requests.confirmation", { kind: t(`requests.kind.${request.kind}`),
          ref: request.id.slice(0, 8).toUpperCase() })}</Text>
        <Group>
          <Text>{t("requests.statusLabel")}</Text>
          <Badge color={STATUS_COLOR[request.status]} size="lg">{t(`requests.status.${request.status}`)}</Badge>
        </Group>
        <Button component={Link} to="/requests" variant="light">{t("requests.title")}</Button>
      </Stack>
    </Card>
  );
}

export function NewRequestPage() {
  const { t } = useTranslation();
  const locale = useLocale();
  const { accountId } = useCurrentAccount();
  const [params] = useSearchParams();
  const [kind, setKind] = useState<Kind>((KINDS as string[]).includes(params.get("kind") ?? "")
    ? (params.get("kind") as Kind) : "contact");
  const bills = (useBills(accountId).data ?? []).filter((b) => b.status === "final");
  const [billId, setBillId] = useState(params.get("bill") ?? "");
  const [date, setDate] = useState("");
  const [line1, setLine1] = useState("");
  const [city, setCity] = useState("");
  const [zip, setZip] = useState("");
  const [phone, setPhone] = useState("");
  const [message, setMessage] = useState("");
  const file = useFileRequest(accountId);
  const [key] = useIdempotencyKey();
  const need = needs(kind);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    file.mutate({ key, body: {
      kind, preferred_date: need.date ? date : null,
      address: need.address || (kind === "stop" && line1)
        ? { line1: line1.trim(), city: city.trim(), state: "CA", postal_code: zip.trim() } : null,
      phone: phone.trim() || null, message: message.trim(),
      bill_id: need.bill ? billId || bills[0]?.id || null : null } });
  };

  if (file.data) {
    return (
      <Stack>
        <PageTitle>{t(`requests.kind.${file.data.kind}`)}</PageTitle>
        <Confirmation request={file.data} />
      </Stack>
    );
  }
  return (
    <Stack>
      <PageTitle>{t("requests.new")}</PageTitle>
      <LeaveGuard dirty={!file.isSuccess && !!(date || line1 || message)} />
      <Card withBorder>
        <form onSubmit={submit}>
          <Stack>
            {file.isError && <Alert color="red" role="alert">{file.error.message}</Alert>}
            <NativeSelect label={t("requests.what")} value={kind}
              onChange={(e) => setKind(e.currentTarget.value as Kind)}
              data={KINDS.map((k) => ({ value: k, label: t(`requests.kind.${k}`) }))} />
            <Text size="sm" c="dimmed">{t(`requests.help.${kind}`)}</Text>
            {need.bill && (
              <NativeSelect label={t("requests.bill")} value={billId || bills[0]?.id}
                onChange={(e) => setBillId(e.currentTarget.value)}
                data={bills.map((b) => ({ value: b.id,
                  label: `${formatDay(b.bill_date ?? b.period_end, locale)} · ${formatAmount(b.total, locale)}` }))} />
            )}
            {need.date && (
              <TextInput type="date" label={t(`requests.date.${kind}`)} required value={date}
                onChange={(e) => setDate(e.currentTarget.value)} />
            )}
            {(need.address || kind === "stop") && (
              <>
                <TextInput label={kind === "stop" ? t("requests.forwarding") : t("requests.address")}
                  required={need.address} autoComplete="address-line1" value={line1}
                  onChange={(e) => setLine1(e.currentTarget.value)} />
                <Group grow>
                  <TextInput label={t("requests.city")} required={need.address || !!line1}
                    autoComplete="address-level2" value={city} onChange={(e) => setCity(e.currentTarget.value)} />
                  <TextInput label={t("requests.zip")} required={need.address || !!line1} inputMode="numeric"
                    autoComplete="postal-code" value={zip} onChange={(e) => setZip(e.currentTarget.value)} />
                </Group>
              </>
            )}
            <TextInput label={t("requests.phone")} type="tel" autoComplete="tel" value={phone}
              onChange={(e) => setPhone(e.currentTarget.value)} />
            <Textarea label={t("requests.message")} required={kind === "contact" || need.bill}
              autosize minRows={3} value={message} onChange={(e) => setMessage(e.currentTarget.value)} />
            <Button type="submit" loading={file.isPending}>{t("requests.send")}</Button>
          </Stack>
        </form>
      </Card>
    </Stack>
  );
}
