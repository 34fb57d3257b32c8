import { Button, Group, Modal, Radio, Stack, Text, Textarea } from "@mantine/core";
import { useState, type FormEvent, type KeyboardEvent } from "react";

import { UnsavedChangesModal } from "@/components/UnsavedChangesModal";
import { useIdempotencyKey } from "@/hooks/useIdempotencyKey";
import { useUnsavedChangesGuard } from "@/hooks/useUnsavedChangesGuard";

import { useRecordCall, type CourtesyItem, type Outcome } from "../api/courtesy";
import { CALL_OUTCOMES, headline, OUTCOME_LABELS } from "../courtesy";

/** Record one call about a flagged read: the outcome and a note. Enter submits. */
export function CallModal({ item, onClose }: { item: CourtesyItem; onClose: () => void }) {
  const [outcome, setOutcome] = useState<Outcome>("spoke_with_customer");
  const [note, setNote] = useState("");
  const [key] = useIdempotencyKey();
  const record = useRecordCall();
  const blocker = useUnsavedChangesGuard(note.trim() !== "");

  function submit(event?: FormEvent) {
    event?.preventDefault();
    record.mutate({ readId: item.read_id, outcome, note: note.trim() || null, key },
      { onSuccess: onClose });
  }

  function enterSubmits(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (event.key === "Enter" && !event.shiftKey) {
      event.preventDefault();
      submit();
    }
  }

  return (
    <Modal opened onClose={onClose} closeButtonProps={{ "aria-label": "Close" }}
      title={`Call about account ${item.account_number}`}>
      <UnsavedChangesModal blocker={blocker} />
      <form onSubmit={submit} aria-label="Record a call">
        <Stack gap="sm">
          <Text size="sm">{item.customer_name}, {item.address}: read {item.read_on} used{" "}
            {headline(item.comparison)}.</Text>
          <Radio.Group label="Outcome" value={outcome} onChange={(v) => setOutcome(v as Outcome)}>
            <Stack gap={6} mt={4}>
              {CALL_OUTCOMES.map((o) => (
                <Radio key={o} value={o} label={OUTCOME_LABELS[o]} />
              ))}
            </Stack>
          </Radio.Group>
          <Textarea label="Note" value={note} maxLength={1000} autosize minRows={2}
            description="Enter records the call; Shift+Enter starts a new line"
            onChange={(e) => setNote(e.currentTarget.value)} onKeyDown={enterSubmits}
            data-autofocus />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>Cancel</Button>
            <Button type="submit" loading={record.isPending}>Record call</Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
