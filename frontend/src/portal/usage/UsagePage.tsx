import { BarChart } from "@mantine/charts";
import { Alert, Anchor, Button, Card, Group, List, Skeleton, Stack, Text, TextInput } from "@mantine/core";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useSearchParams } from "react-router-dom";

import { notifyProblem } from "@/lib/queryClient";

import { useCurrentAccount } from "../app/account";
import { PageTitle } from "../app/PageTitle";
import { useLocale } from "../i18n";
import { download } from "../lib/client";
import { formatAmount, formatDay, formatGallons, formatInstant } from "../lib/format";
import { greenButtonPath, useComparison, useHourly, useLeaks, useProjection } from "./api";
import { hourPoints, lastThirtyDays } from "./series";

function localToday(): string {
  const now = new Date();
  return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, "0")}-${String(now.getDate()).padStart(2, "0")}`;
}

/** Thirty days of hourly use with the hours of any suspected leak in orange, this period
 * against last year, the bill it is heading for, and the data to take away (Green Button). */
export function UsagePage() {
  const { t } = useTranslation();
  const locale = useLocale();
  const { accountId } = useCurrentAccount();
  const [params, setParams] = useSearchParams();
  const end = params.get("end") ?? localToday();
  const range = lastThirtyDays(end);
  const [endInput, setEndInput] = useState(end);
  const hourly = useHourly(accountId, range.start, range.end);
  const leaks = useLeaks(accountId);
  const comparison = useComparison(accountId).data;
  const projection = useProjection(accountId).data;
  const [fetching, setFetching] = useState<string | null>(null);

  const points = useMemo(() => (hourly.data
    ? hourPoints(hourly.data, leaks.data ?? [], hourly.data.timezone) : []), [hourly.data, leaks.data]);
  const rows = points.map((p) => ({ label: p.label,
    normal: p.leak ? 0 : p.gallons ?? 0, leak: p.leak ? p.gallons ?? 0 : 0 }));
  const total = points.reduce((sum, p) => sum + (p.gallons ?? 0), 0);
  const leakHours = points.filter((p) => p.leak).length;

  const take = async (format: "xml" | "csv") => {
    setFetching(format);
    try {
      await download(greenButtonPath(accountId, format, range.start, range.end),
        `green-button-${range.start}-${range.end}.${format}`);
    } catch (e) {
      notifyProblem(e);
    } finally {
      setFetching(null);
    }
  };

  return (
    <Stack>
      <PageTitle>{t("usage.title")}</PageTitle>
      {(leaks.data ?? []).filter((a) => a.status === "open").map((a) => (
        <Alert key={a.id} color="orange" role="alert" title={t("usage.leakTitle")}>
          <Text>{t(a.kind === "burst" ? "usage.burst" : "usage.continuous", {
            from: formatInstant(a.first_hour, locale), to: formatInstant(a.last_hour, locale),
            gph: formatGallons(a.peak_gph, locale), hours: a.hours.length })}</Text>
          <Text size="sm" mt="xs">{t("usage.leakAdvice")}</Text>
        </Alert>
      ))}
      <Card withBorder>
        <form onSubmit={(e) => { e.preventDefault(); if (endInput) setParams({ end: endInput }); }}>
          <Group align="flex-end" wrap="wrap">
            <TextInput type="date" label={t("usage.ending")} value={endInput}
              onChange={(e) => setEndInput(e.currentTarget.value)} />
            <Button type="submit" variant="light">{t("usage.show")}</Button>
          </Group>
        </form>
        <Text component="h2" fw={600} mt="md">
          {t("usage.hourlyTitle", { start: formatDay(range.start, locale), end: formatDay(range.end, locale) })}
        </Text>
        {hourly.isLoading ? <Skeleton h={240} /> : hourly.isError ? (
          <Text>{t("usage.noData")}</Text>
        ) : (
          <>
            <Text size="sm" data-testid="usage-summary">
              {t("usage.total", { gallons: formatGallons(Math.round(total), locale), hours: points.length })}
              {leakHours > 0 ? ` ${t("usage.leakHoursCount", { count: leakHours })}` : ""}
            </Text>
            <div role="img" aria-label={t("usage.chartLabel", { gallons: formatGallons(Math.round(total), locale) })}>
              <BarChart h={240} data={rows} dataKey="label" type="stacked" withLegend
                series={[{ name: "normal", label: t("usage.gallonsHour"), color: "water.7" },
                  { name: "leak", label: t("usage.leakHours"), color: "orange.7" }]}
                xAxisProps={{ interval: 167 }} tickLine="none" withTooltip={false} barProps={{ isAnimationActive: false }} />
            </div>
          </>
        )}
      </Card>
      {comparison && (
        <Card withBorder>
          <Text component="h2" fw={600}>{t("usage.compareTitle")}</Text>
          <Text>{t("usage.compare", { now: formatGallons(comparison.current.gallons_per_day, locale),
            then: formatGallons(comparison.last_year.gallons_per_day, locale) })}</Text>
          {comparison.change_percent != null && (
            <Text size="sm" c="dimmed">{t("usage.change", { percent: formatGallons(comparison.change_percent, locale) })}</Text>
          )}
        </Card>
      )}
      {projection && (
        <Card withBorder>
          <Text component="h2" fw={600}>{t("usage.projectionTitle")}</Text>
          <Text>{t("usage.projection", { amount: formatAmount(projection.projected_total, locale),
            date: formatDay(projection.period_end, locale) })}</Text>
        </Card>
      )}
      {(leaks.data ?? []).length > 0 && (
        <Card withBorder>
          <Text component="h2" fw={600}>{t("usage.alertsTitle")}</Text>
          <List spacing="xs" mt="xs">
            {(leaks.data ?? []).map((a) => (
              <List.Item key={a.id}>
                {formatInstant(a.first_hour, locale)} – {formatInstant(a.last_hour, locale)}:{" "}
                {t(`usage.kind.${a.kind}`)} · {t(`usage.state.${a.status}`)} ·{" "}
                {t("usage.peak", { gph: formatGallons(a.peak_gph, locale) })}
              </List.Item>
            ))}
          </List>
        </Card>
      )}
      <Card withBorder>
        <Text component="h2" fw={600}>{t("usage.greenButton")}</Text>
        <Text size="sm" mb="xs">{t("usage.greenButtonHelp")}</Text>
        <Group>
          <Button onClick={() => void take("xml")} loading={fetching === "xml"}>{t("usage.downloadXml")}</Button>
          <Button variant="light" onClick={() => void take("csv")} loading={fetching === "csv"}>{t("usage.downloadCsv")}</Button>
        </Group>
      </Card>
      <Anchor component={Link} to="/usage/alerts">{t("nav.alerts")}</Anchor>
    </Stack>
  );
}
