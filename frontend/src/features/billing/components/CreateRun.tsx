import { Button, Card, Group, Progress, Stack, Text, Textarea, TextInput, Title }
  from "@mantine/core";
import { useState, type FormEvent } from "react";
import { useNavigate } from "react-router-dom";

import { UnsavedChangesModal } from "@/components/UnsavedChangesModal";
import { useIdempotencyKey } from "@/hooks/useIdempotencyKey";
import { useUnsavedChangesGuard } from "@/hooks/useUnsavedChangesGuard";

import { useCreateRun } from "../api/runs";
import { runRequest, type RunForm } from "../runForm";

const EMPTY: RunForm = { cycle: "", period_start: "", period_end: "", bill_date: "", messages: "" };

/** Preview a cycle: every bill calculated, nothing posted; then the run opens for review. */
export function CreateRun() {
  const [form, setForm] = useState<RunForm>(EMPTY);
  const [key, renew] = useIdempotencyKey();
  const create = useCreateRun();
  const navigate = useNavigate();
  const dirty = !create.isSuccess && (Object.values(form) as string[]).some((v) => v.trim() !== "");
  const blocker = useUnsavedChangesGuard(dirty && !create.isPending);

  function submit(event: FormEvent) {
    event.preventDefault();
    create.mutate({ body: runRequest(form), key }, {
      onSuccess: (run) => {
        renew();
        setForm(EMPTY);
        navigate(`/billing/runs/${run.id}`);
      },
    });
  }
  const set = (field: keyof RunForm) =>
    (e: React.ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) => {
      const value = e.currentTarget.value;
      setForm((f) => ({ ...f, [field]: value }));
    };

  return (
    <Card withBorder component="form" onSubmit={submit} aria-label="Preview a bill run">
      <Title order={2} size="h4" mb="sm">Preview a bill run</Title>
      <Stack gap="sm">
        <Group align="flex-end">
          <TextInput label="Cycle" required value={form.cycle} onChange={set("cycle")} w={120} />
          <TextInput type="date" label="Period from" required value={form.period_start}
            onChange={set("period_start")} />
          <TextInput type="date" label="Period to" required value={form.period_end}
            onChange={set("period_end")} />
          <TextInput type="date" label="Bill date" value={form.bill_date}
            onChange={set("bill_date")} description="Empty: today" />
        </Group>
        <Textarea label="Messages on every statement" description="One per line, at most five"
          autosize minRows={1} maxRows={5} value={form.messages} onChange={set("messages")}
          onKeyDown={(e) => {
            if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
              e.currentTarget.form?.requestSubmit();
            }
          }} />
        <Group>
          <Button type="submit" loading={create.isPending}>Preview run</Button>
        </Group>
        {create.isPending && (
          <Stack gap={4} aria-live="polite">
            <Progress value={100} striped animated aria-label="Preview progress" />
            <Text size="sm">Calculating every bill of cycle {form.cycle}…</Text>
          </Stack>
        )}
      </Stack>
      <UnsavedChangesModal blocker={blocker} />
    </Card>
  );
}
