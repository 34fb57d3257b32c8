import { Button, Card, Group, Progress, Stack, Table, Text, TextInput } from "@mantine/core";
import { useEffect, useState, type FormEvent } from "react";

import { ReadableAlert } from "@/components/ReadableAlert";
import { useIdempotencyKey } from "@/hooks/useIdempotencyKey";

import { useDailyProgress, useRunDaily, type DailyProgress, type DailyResult } from "../api/supervisor";

/** How far a run is, in percent of its steps (finished steps, and half of the one running). */
export function percentDone(p: DailyProgress | undefined): number {
  if (!p || p.steps.length === 0) return 0;
  const finished = p.steps.filter((s) => s in p.done && s !== p.step).length;
  return Math.round(((finished + (p.step ? 0.5 : 0)) / p.steps.length) * 100);
}

/** The job's counts as rows: `ladder.reminder 12`, `field.door_tags 3` … */
export function resultRows(result: DailyResult): { part: string; what: string; count: string }[] {
  const rows: { part: string; what: string; count: string }[] = [];
  for (const [part, section] of Object.entries(result)) {
    if (part === "seconds" || !section || typeof section !== "object") continue;
    for (const [what, count] of Object.entries(section as Record<string, unknown>)) {
      if (typeof count === "number" || typeof count === "string") {
        rows.push({ part, what: what.replace(/_/g, " "), count: String(count) });
      }
    }
  }
  rows.push({ part: "ladder", what: "accounts cured", count: String(result.cured_accounts) });
  return rows;
}

/** Seconds since `start`, ticking while `running`. */
function useElapsed(running: boolean): number {
  const [elapsed, setElapsed] = useState(0);
  const [wasRunning, setWasRunning] = useState(running);
  if (running !== wasRunning) {
    setWasRunning(running);
    if (running) setElapsed(0);
  }
  useEffect(() => {
    if (!running) return undefined;
    const start = Date.now();
    const timer = setInterval(() => setElapsed((Date.now() - start) / 1000), 250);
    return () => clearInterval(timer);
  }, [running]);
  return elapsed;
}

/** The daily collections job: the ladder, arrangements, the field, once a day under one lock. */
export function DailyJob() {
  const [day, setDay] = useState("");
  const [key, renewKey] = useIdempotencyKey();
  const run = useRunDaily();
  const elapsed = useElapsed(run.isPending);
  const progress = useDailyProgress(run.isPending);
  const live = progress.data && progress.data.running ? progress.data : undefined;
  const seconds = run.data?.seconds;
  const total = seconds ? Object.values(seconds).reduce((a, b) => a + Number(b || 0), 0) : 0;

  function submit(event: FormEvent) {
    event.preventDefault();
    run.mutate({ today: day || null, key }, { onSuccess: renewKey });
  }

  return (
    <Stack maw={720}>
      <Text size="sm">The job runs every feature's daily step in order (ladder with its notices and late
        charges, arrangements and promises, door tags and disconnects). A second run on the same
        day does nothing new and answers with the first run's result.</Text>
      <Group component="form" onSubmit={submit} align="flex-end" aria-label="Run the daily job">
        <TextInput type="date" label="Day (empty: today)" value={day} onChange={(e) => setDay(e.currentTarget.value)} />
        <Button type="submit" loading={run.isPending}>Run the daily job</Button>
      </Group>
      {run.isPending && (
        <Card withBorder>
          <Text size="sm" mb="xs">Running… {elapsed.toFixed(1)} s
            {live?.step ? ` · step ${live.steps.indexOf(live.step) + 1} of ${live.steps.length}: ${live.step}` : ""}</Text>
          <Progress.Root size="lg">
            <Progress.Section value={live ? percentDone(live) : 5} animated striped
              aria-label="The daily job's progress" />
          </Progress.Root>
        </Card>
      )}
      {run.data && (
        <ReadableAlert color={run.data.ran ? "green.9" : "gray.8"} title={run.data.ran
          ? `Ran for ${run.data.run_on}` : `Already ran for ${run.data.run_on}: nothing new`}>
          {seconds && (
            <Stack gap={4} mb="sm">
              {Object.entries(seconds).map(([part, s]) => (
                <Group key={part} gap="xs" wrap="nowrap">
                  <Text size="sm" w={120}>{part}</Text>
                  <Progress.Root w={240}>
                    <Progress.Section value={total ? (Number(s) / total) * 100 : 0}
                      aria-label={`${part}: ${Number(s).toFixed(2)} s`} />
                  </Progress.Root>
                  <Text size="sm">{Number(s).toFixed(2)} s</Text>
                </Group>
              ))}
            </Stack>
          )}
          <Table aria-label="Daily job result">
            <Table.Tbody>
              {resultRows(run.data).map((r) => (
                <Table.Tr key={`${r.part}-${r.what}`}><Table.Td>{r.part}</Table.Td><Table.Td>{r.what}</Table.Td>
                  <Table.Td ta="right">{r.count}</Table.Td></Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ReadableAlert>
      )}
    </Stack>
  );
}
