import { Badge, Button, Card, Group, Skeleton, Stack, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";

import { useCurrentAccount } from "../app/account";
import { PageTitle } from "../app/PageTitle";
import { useLocale } from "../i18n";
import { formatDay, formatInstant } from "../lib/format";
import { useRequests } from "../lib/queries";

export const STATUS_COLOR: Record<string, string> = {
  received: "blue", in_progress: "violet", done: "teal", declined: "gray",
};

/** What the customer asked of the district, and where each request stands. */
export function RequestsPage() {
  const { t } = useTranslation();
  const locale = useLocale();
  const { accountId } = useCurrentAccount();
  const requests = useRequests(accountId);
  return (
    <Stack>
      <PageTitle>{t("requests.title")}</PageTitle>
      <Group>
        {(["start", "stop", "transfer", "high_bill_review", "contact"] as const).map((kind) => (
          <Button key={kind} component={Link} to={`/requests/new?kind=${kind}`} variant="light">
            {t(`requests.kind.${kind}`)}
          </Button>
        ))}
      </Group>
      {requests.isLoading && <Skeleton h={80} />}
      {requests.data?.length === 0 && <Text>{t("requests.none")}</Text>}
      {requests.data?.map((r) => (
        <Card withBorder key={r.id}>
          <Group justify="space-between" wrap="nowrap">
            <div>
              <Text fw={600}>{t(`requests.kind.${r.kind}`)}</Text>
              <Text size="sm" c="dimmed">
                {t("requests.sentOn", { date: formatInstant(r.created_at, locale) })}
                {r.preferred_date ? ` · ${formatDay(r.preferred_date, locale)}` : ""}
              </Text>
              <Text size="sm">{t("requests.reference", { ref: r.id.slice(0, 8).toUpperCase() })}</Text>
              {r.resolution && <Text size="sm" mt={4}>{r.resolution}</Text>}
            </div>
            <Badge color={STATUS_COLOR[r.status]} size="lg">{t(`requests.status.${r.status}`)}</Badge>
          </Group>
        </Card>
      ))}
    </Stack>
  );
}
