import { Button, Group, Modal, Stack, Text, TextInput, Textarea } from "@mantine/core";
import { useState, type FormEvent } from "react";

import { Money } from "@/components/Money";
import { useIdempotencyKey } from "@/hooks/useIdempotencyKey";
import { downloadFile } from "@/lib/download";
import { notifyProblem } from "@/lib/queryClient";

import { useDecide, type Application } from "../api/queries";
import { localToday } from "../labels";

/** The application a staff member is deciding, and which way; null while none is. */
export type Deciding = { app: Application; verdict: "approve" | "deny" } | null;

/** A pending application's Approve and Deny buttons, opening `DecideModal`; `subject` names
 * the application in their accessible names ("the Toilet rebate", "10000045-3's rebate"). */
export function DecideButtons({ app, subject, onDecide }: {
  app: Application;
  subject: string;
  onDecide: (deciding: Deciding) => void;
}) {
  return (
    <>
      <Button size="xs" onClick={() => onDecide({ app, verdict: "approve" })}
        aria-label={`Approve ${subject}`}>Approve</Button>
      <Button size="xs" color="red" variant="light"
        onClick={() => onDecide({ app, verdict: "deny" })}
        aria-label={`Deny ${subject}`}>Deny</Button>
    </>
  );
}

/** The decision letter of an application, as a PDF download named `filename`. */
export function downloadLetter(app: Application, filename: string) {
  if (!app.letter_id) return;
  downloadFile(`/api/accounts/contacts/documents/${app.letter_id}`, filename)
    .catch(notifyProblem);
}

/** Approve (with an optional note) or deny (with the reason the letter gives) one application. */
export function DecideModal({ deciding, onClose }: {
  deciding: Deciding;
  onClose: () => void;
}) {
  const [text, setText] = useState("");
  const [onDate, setOnDate] = useState(localToday());
  const [key, renew] = useIdempotencyKey();
  const decide = useDecide();
  const [shownFor, setShownFor] = useState(deciding);
  if (deciding !== shownFor) {
    setShownFor(deciding);
    setText("");
  }
  const verb = deciding?.verdict === "deny" ? "Deny" : "Approve";

  function submit(event: FormEvent) {
    event.preventDefault();
    if (!deciding) return;
    decide.mutate({ id: deciding.app.id, verdict: deciding.verdict, text, onDate, key }, {
      onSuccess: () => { renew(); onClose(); },
    });
  }

  return (
    <Modal opened={!!deciding} onClose={onClose} centered title={`${verb} rebate`}>
      {deciding && (
        <Stack component="form" onSubmit={submit} aria-label={`${verb} rebate`}>
          <Text size="sm">
            {deciding.app.customer_name}, account {deciding.app.account_number}:{" "}
            <Money value={deciding.app.amount} />
          </Text>
          <TextInput type="date" label="Decided on" required value={onDate}
            onChange={(e) => setOnDate(e.currentTarget.value)} />
          <Textarea data-autofocus label={deciding.verdict === "deny" ? "Reason" : "Note"}
            required={deciding.verdict === "deny"} minLength={deciding.verdict === "deny" ? 3 : 0}
            autosize minRows={2} value={text} description="Ctrl+Enter submits"
            onChange={(e) => setText(e.currentTarget.value)}
            onKeyDown={(e) => {
              if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) submit(e);
            }} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>Cancel</Button>
            <Button type="submit" loading={decide.isPending}
              color={deciding.verdict === "deny" ? "red" : undefined}>{verb}</Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}
