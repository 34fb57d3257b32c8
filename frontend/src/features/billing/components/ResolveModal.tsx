import { Button, Group, Modal, Stack, Text, TextInput } from "@mantine/core";
import { useState, type FormEvent } from "react";

import { useIdempotencyKey } from "@/hooks/useIdempotencyKey";

import { useResolveException, type Resolution, type WorklistItem } from "../api/reads";

export const RESOLUTION_LABELS: Record<Resolution, string> = {
  accept: "Accept read",
  reread: "Order re-read",
  estimate: "Estimate",
  correct: "Correct read",
};

const DEFAULT_REASON: Record<Resolution, string> = {
  accept: "",
  reread: "",
  estimate: "estimated",
  correct: "",
};

/** One way of working one exception, with the reason the audit keeps. Enter submits. */
export function ResolveModal({ item, how, onClose }: {
  item: WorklistItem; how: Resolution; onClose: () => void;
}) {
  const [reason, setReason] = useState(DEFAULT_REASON[how]);
  const [value, setValue] = useState(item.value ?? "");
  const [readOn, setReadOn] = useState(item.read_on ?? "");
  const [key] = useIdempotencyKey();
  const resolve = useResolveException();

  function submit(event: FormEvent) {
    event.preventDefault();
    resolve.mutate({ id: item.id, how, reason: reason.trim(), value: value.trim(), readOn, key },
      { onSuccess: onClose });
  }

  return (
    <Modal opened onClose={onClose} closeButtonProps={{ "aria-label": "Close" }}
      title={`${RESOLUTION_LABELS[how]}: meter ${item.serial ?? "?"}`}>
      <form onSubmit={submit} aria-label={RESOLUTION_LABELS[how]}>
        <Stack gap="sm">
          <Text size="sm">{item.code}: {item.detail}</Text>
          {how === "correct" && (
            <TextInput label="Corrected reading" inputMode="decimal" required value={value}
              onChange={(e) => setValue(e.currentTarget.value)} data-autofocus />
          )}
          {how === "estimate" && (
            <TextInput type="date" label="Estimate as of" value={readOn}
              onChange={(e) => setReadOn(e.currentTarget.value)}
              description="Empty: the read's own date" />
          )}
          <TextInput label="Reason" required value={reason} maxLength={500}
            onChange={(e) => setReason(e.currentTarget.value)}
            data-autofocus={how !== "correct" || undefined} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>Cancel</Button>
            <Button type="submit" loading={resolve.isPending}>{RESOLUTION_LABELS[how]}</Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
