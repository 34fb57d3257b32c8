import { Badge, Button, Card, Group, Loader, Stack, Table, Text, TextInput, Title } from "@mantine/core";
import { useState, type FormEvent } from "react";

import { ReadableAlert } from "@/components/ReadableAlert";
import { useIdempotencyKey } from "@/hooks/useIdempotencyKey";
import { downloadFile } from "@/lib/download";
import { useSession } from "@/lib/auth";
import { can } from "@/lib/permissions";
import { notifyProblem } from "@/lib/queryClient";

import { useRetry, useRunNow, useRuns, type Run, type Step } from "../api/queries";

const COLORS: Record<Step["status"] | Run["status"], string> = {
  pending: "gray", running: "blue", succeeded: "green", failed: "red", retrying: "orange",
  skipped: "gray",
};

/** "12.3 s", "2 min 5 s", or "—". */
export function duration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return "—";
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  return `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;
}

/** What a step did or why it did nothing, in one line. */
export function stepNote(step: Step): string {
  if (step.status === "skipped") return step.error ?? "Nothing to do this day";
  if (step.error) {
    const again = step.next_attempt_at
      ? ` Next attempt ${new Date(step.next_attempt_at).toLocaleTimeString()}.` : "";
    return `${step.error}${again}`;
  }
  if (step.result && typeof step.result === "object") {
    const kept = (step.result as { kept?: unknown[] }).kept;
    if (Array.isArray(kept)) return `${kept.length} report(s) kept`;
  }
  return "";
}

function RunCard({ run, mayRun }: { run: Run; mayRun: boolean }) {
  const retry = useRetry();
  const [key, renewKey] = useIdempotencyKey();
  return (
    <Card withBorder component="section" aria-label={`Night of ${run.day}`}>
      <Group justify="space-between" mb="xs">
        <Title order={3} size="h5">Night of {run.day}</Title>
        <Group gap="xs">
          <Text size="xs" c="dimmed">by {run.requested_by}</Text>
          <Badge color={COLORS[run.status]}>{run.status}</Badge>
        </Group>
      </Group>
      <Table striped aria-label={`Steps of the night of ${run.day}`}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Step</Table.Th><Table.Th>Status</Table.Th><Table.Th>Attempts</Table.Th>
            <Table.Th>Took</Table.Th><Table.Th>Note</Table.Th><Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {run.steps.map((s) => (
            <Table.Tr key={s.step}>
              <Table.Td>{s.title}</Table.Td>
              <Table.Td><Badge variant="light" color={COLORS[s.status]}>{s.status}</Badge></Table.Td>
              <Table.Td>{s.attempts}</Table.Td>
              <Table.Td>{duration(s.seconds)}</Table.Td>
              <Table.Td><Text size="xs">{stepNote(s)}</Text></Table.Td>
              <Table.Td>
                {mayRun && s.status === "failed" && (
                  <Button size="xs" variant="light" loading={retry.isPending}
                    aria-label={`Retry ${s.title} for ${run.day}`}
                    onClick={() => retry.mutate({ runId: run.id, step: s.step, key },
                      { onSuccess: renewKey, onError: notifyProblem })}>Retry</Button>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {run.reports.length > 0 && (
        <Group gap="xs" mt="xs">
          <Text size="sm">Reports kept:</Text>
          {run.reports.map((f) => (
            <Button key={`${f.service}/${f.name}`} size="xs" variant="subtle"
              onClick={() => void downloadFile(f.path, `${f.service}-${f.name}-${f.period}.pdf`)
                .catch(notifyProblem)}>{f.title} ({f.period})</Button>
          ))}
        </Group>
      )}
    </Card>
  );
}

/** The nightly update's run log: each night's steps, retry a failed one, run a missed night. */
export function NightlyPage() {
  const session = useSession();
  const mayRun = can(session?.role, "nightly.run");
  const runs = useRuns();
  const runNow = useRunNow();
  const [day, setDay] = useState("");
  const [key, renewKey] = useIdempotencyKey();

  function submit(event: FormEvent) {
    event.preventDefault();
    if (!day) return;
    runNow.mutate({ day, key }, { onSuccess: renewKey });
  }

  return (
    <Stack>
      <Title order={2}>Nightly update</Title>
      <Text size="sm" maw={760}>Every night the system runs the day's work in order: aging and
        the collections ladder, autopay debits due, the deposit review, leak detection on the
        day's meter data, and on the first of a month it keeps the month's reports. A step that
        fails is tried again after 1, 5 and 30 minutes, then waits here for a supervisor. No
        step runs twice for one day.</Text>
      {mayRun && (
        <Group component="form" onSubmit={submit} align="flex-end" aria-label="Run a night now">
          <TextInput type="date" label="Day" required value={day}
            onChange={(e) => setDay(e.currentTarget.value)} />
          <Button type="submit" loading={runNow.isPending} disabled={!day}>Run now</Button>
        </Group>
      )}
      {runNow.error && <ReadableAlert color="red" title="The night could not start">
        {runNow.error.message}</ReadableAlert>}
      {runs.isLoading && <Loader size="sm" aria-label="Loading nights" />}
      {runs.error && <ReadableAlert color="red" title="The run log could not be read">
        {runs.error.message}</ReadableAlert>}
      {runs.data?.length === 0 && <Text c="dimmed">No night has run yet.</Text>}
      {runs.data?.map((r) => <RunCard key={r.id} run={r} mayRun={mayRun} />)}
    </Stack>
  );
}
