import { Alert, Button, Card, Group, Loader, Stack, Text, TextInput, Title } from "@mantine/core";
import { useState, type FormEvent } from "react";

import { openPdf } from "@/lib/api";
import { downloadFile } from "@/lib/download";
import { notifyProblem } from "@/lib/queryClient";

import { reportFile, useCatalogues, type CatalogueEntry } from "../api/reports";

const SERVICE_TITLES: Record<string, string> = {
  billing: "Billing", payments: "Payments", collections: "Collections", accounts: "Accounts",
};

/** One report of a catalogue: its period (month or year; empty is the server's default, this
 * month or last year) and its downloads. Enter opens the PDF. */
function CatalogueReport({ entry }: { entry: CatalogueEntry }) {
  const [period, setPeriod] = useState("");
  const monthly = entry.period === "month";
  const valid = period === "" || (monthly ? /^\d{4}-\d{2}$/ : /^\d{4}$/).test(period.trim());
  const pdf = () => void openPdf(reportFile(entry, "pdf", period)).catch(notifyProblem);
  const csv = () => void downloadFile(reportFile(entry, "csv", period),
    `${entry.name}.csv`).catch(notifyProblem);
  function submit(e: FormEvent) {
    e.preventDefault();
    if (valid && entry.formats.includes("pdf")) pdf();
  }
  return (
    <Card withBorder component="section" aria-label={entry.title}>
      <Title order={3} size="h5">{entry.title}</Title>
      <Text size="sm" c="gray.7" mb="xs">{entry.description}</Text>
      <form onSubmit={submit} aria-label={`${entry.title} report`}>
        <Group align="flex-end">
          {monthly ? (
            <TextInput type="month" label="Month" description="Empty: this month" w={170}
              value={period} onChange={(e) => setPeriod(e.currentTarget.value)}
              error={valid ? undefined : "A month, YYYY-MM"} />
          ) : (
            <TextInput label="Year" description="Empty: the server's default" w={170}
              inputMode="numeric" maxLength={4} placeholder="YYYY" value={period}
              onChange={(e) => setPeriod(e.currentTarget.value)}
              error={valid ? undefined : "A year, YYYY"} />
          )}
          {entry.formats.includes("pdf") && (
            <Button type="submit" variant="default" disabled={!valid}
              aria-label={`PDF: ${entry.title}`}>PDF</Button>
          )}
          {entry.formats.includes("csv") && (
            <Button variant="default" disabled={!valid} onClick={csv}
              aria-label={`CSV: ${entry.title}`}>CSV</Button>
          )}
        </Group>
      </form>
    </Card>
  );
}

/** Every service's report catalogue, service by service. */
export function ReportCatalogue() {
  const services = useCatalogues();
  return (
    <Stack>
      {services.map(({ service, reports, loading, failed }) => (
        <section key={service} aria-label={`${SERVICE_TITLES[service]} reports`}>
          <Title order={2} size="h4" mb="xs">{SERVICE_TITLES[service]} reports</Title>
          {loading && <Loader role="status" size="sm"
            aria-label={`Loading ${service} reports`} />}
          {failed && <Alert color="red">The {service} service did not list its reports.</Alert>}
          <Stack gap="sm">
            {reports.map((entry) => <CatalogueReport key={entry.path} entry={entry} />)}
          </Stack>
        </section>
      ))}
    </Stack>
  );
}
