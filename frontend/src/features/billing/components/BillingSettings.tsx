import { Stack } from "@mantine/core";

import { useSession } from "@/lib/auth";
import { can } from "@/lib/permissions";

import { useReadThresholds, useSetReadThresholds } from "../api/reads";
import { useReviewThresholds, useSetReviewThresholds } from "../api/runs";
import { ThresholdsCard, type ThresholdField } from "./ThresholdsCard";

const READ_FIELDS: ThresholdField[] = [
  { key: "high_factor", label: "High use factor", help: "a read over this × the average" },
  { key: "low_factor", label: "Low use factor", help: "a read under this × the average" },
  { key: "min_high_usage", label: "Least high use", help: "no high exception below this use" },
];

const REVIEW_FIELDS: ThresholdField[] = [
  { key: "max_total", label: "Flag bills over ($)", help: "total over this is reviewed" },
  { key: "change", label: "Flag a change over", help: "0.5 = 50 % from the last bill" },
  { key: "due_days", label: "Days to pay", help: "due date = bill date + days",
    integer: true },
];

/** Read validation thresholds (on the reads page). */
export function ReadThresholdsCard() {
  const role = useSession()?.role;
  const q = useReadThresholds();
  const save = useSetReadThresholds();
  return (
    <ThresholdsCard title="Read validation thresholds" fields={READ_FIELDS} values={q.data}
      loading={q.isLoading} editable={can(role, "runs.approve")} saving={save.isPending}
      onSave={(body, key, done) => save.mutate({
        body: body as { high_factor: string; low_factor: string; min_high_usage: string },
        key }, { onSuccess: done })} />
  );
}

/** Run review thresholds and the due-date offset (on the runs page). */
export function ReviewThresholdsCard() {
  const role = useSession()?.role;
  const q = useReviewThresholds();
  const save = useSetReviewThresholds();
  return (
    <Stack>
      <ThresholdsCard title="Bill review thresholds" fields={REVIEW_FIELDS} values={q.data}
        loading={q.isLoading} editable={can(role, "runs.approve")} saving={save.isPending}
        onSave={(body, key, done) => save.mutate({
          body: body as { max_total: string; change: string; due_days: number },
          key }, { onSuccess: done })} />
    </Stack>
  );
}
