import { Button, Group, Modal, Stack, Text, Textarea } from "@mantine/core";
import { useState, type FormEvent } from "react";

import { Money } from "@/components/Money";

import { KINDS, type PendingItem } from "../pending";

export type Verdict = "approve" | "reject";

/** The approver's note with a decision: asked for when the service takes one. */
export function DecisionModal({ item, verdict, busy, onCancel, onDecide }: {
  item: PendingItem | null;
  verdict: Verdict;
  busy: boolean;
  onCancel: () => void;
  onDecide: (note: string) => void;
}) {
  const [note, setNote] = useState("");
  const info = item ? KINDS[item.kind] : null;
  const rule = !item ? "none" : verdict === "approve" ? item.approveNote : info!.rejectNote;
  const verb = !info ? "" : verdict === "approve" ? info.approve : info.reject ?? "";

  function submit(event: FormEvent) {
    event.preventDefault();
    onDecide(note);
  }

  return (
    <Modal opened={!!item} onClose={onCancel} centered
      title={info ? `${verb}: ${info.label.toLowerCase()}` : ""}>
      {item && (
        <Stack component="form" onSubmit={submit} aria-label={`${verb} ${info!.label}`}>
          <Text size="sm">{item.what}</Text>
          {item.amount !== null && <Text size="sm">Amount <Money value={item.amount} /></Text>}
          {rule !== "none" && (
            <Textarea data-autofocus label={verdict === "approve" ? "Note" : "Reason"}
              required={rule === "required"} value={note} autosize minRows={2}
              description="Ctrl+Enter submits"
              onChange={(e) => setNote(e.currentTarget.value)}
              onKeyDown={(e) => {
                if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) submit(e);
              }} />
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onCancel}>Cancel</Button>
            <Button type="submit" loading={busy} data-autofocus={rule === "none" || undefined}
              color={verdict === "reject" ? "red" : undefined}>{verb}</Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}
