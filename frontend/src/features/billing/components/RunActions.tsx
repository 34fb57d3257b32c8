import { Button, Group, Modal, Progress, Stack, Text } from "@mantine/core";
import { useState } from "react";

import { Money } from "@/components/Money";
import { useIdempotencyKey } from "@/hooks/useIdempotencyKey";
import { useSession } from "@/lib/auth";
import { can } from "@/lib/permissions";

import { useRunStep, type Run, type RunStep } from "../api/runs";
import { approvalRefused, runSteps, STEP_LABELS } from "../runActions";
import { Notice } from "./Notice";

const CONFIRM: Partial<Record<RunStep, string>> = {
  finalise: "Every bill is posted to the ledger and announced to customers. This cannot be undone "
    + "(a wrong bill is corrected by cancel-and-rebill).",
  discard: "The run is abandoned; its bills are never issued.",
  approve: "You approve the run as reviewed by its preparer.",
};

function bills(n: number): string {
  return `${n} bill${n === 1 ? "" : "s"}`;
}

/** The steps this user may take on the run; the heavy ones ask first and show progress. */
export function RunActions({ run }: { run: Run }) {
  const session = useSession();
  const steps = runSteps(run, session?.role, session?.username);
  const step = useRunStep(run.id);
  const [key, renew] = useIdempotencyKey();
  const [asking, setAsking] = useState<RunStep | null>(null);
  const [running, setRunning] = useState<RunStep | null>(null);

  function go(s: RunStep) {
    setAsking(null);
    setRunning(s);
    step.mutate({ step: s, key }, { onSettled: () => { renew(); setRunning(null); } });
  }

  const refused = run.status === "prepared" && can(session?.role, "runs.approve")
    ? approvalRefused(run, session?.username) : null;

  return (
    <Stack gap="xs">
      <Group>
        {steps.map((s) => (
          <Button key={s} color={s === "discard" ? "red" : undefined}
            variant={s === "discard" || s === "reopen" || s === "recalculate" ? "default"
              : "filled"}
            loading={running === s} disabled={running !== null && running !== s}
            onClick={() => (CONFIRM[s] ? setAsking(s) : go(s))}>
            {STEP_LABELS[s]}
          </Button>
        ))}
      </Group>
      {refused && <Text size="sm" c="gray.7">Approval: {refused}.</Text>}
      {running === "finalise" && (
        <Stack gap={4} aria-live="polite">
          <Progress value={100} striped animated aria-label="Finalise progress" />
          <Text size="sm">Posting {bills(run.bills - run.held)} to the ledger…</Text>
        </Stack>
      )}
      {running === "recalculate" && (
        <Stack gap={4} aria-live="polite">
          <Progress value={100} striped animated aria-label="Recalculation progress" />
          <Text size="sm">Calculating every bill again…</Text>
        </Stack>
      )}
      {step.isSuccess && step.variables?.step === "finalise" && (
        <Notice color="green" title="Run finalised">
          {bills(run.bills - run.held)} posted, <Money value={run.total} /> in total, by{" "}
          {run.finalised_by}.
        </Notice>
      )}
      <Modal opened={asking !== null} onClose={() => setAsking(null)}
        closeButtonProps={{ "aria-label": "Close" }}
        title={asking ? `${STEP_LABELS[asking]}?` : ""} centered>
        <Text size="sm">{asking ? CONFIRM[asking] : ""}</Text>
        <Text size="sm" mt="xs">Cycle {run.cycle}, {run.period_start} – {run.period_end}:{" "}
          {bills(run.bills)}, <Money value={run.total} />.</Text>
        <Group justify="flex-end" mt="md">
          <Button variant="default" onClick={() => setAsking(null)}>Cancel</Button>
          <Button color={asking === "discard" ? "red" : undefined} data-autofocus
            onClick={() => asking && go(asking)}>
            {asking ? STEP_LABELS[asking] : ""}
          </Button>
        </Group>
      </Modal>
    </Stack>
  );
}
