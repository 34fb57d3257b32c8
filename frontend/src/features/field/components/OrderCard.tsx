import { Badge, Button, Card, Group, Stack, Text, TextInput, Textarea } from "@mantine/core";
import { useState, type FormEvent } from "react";

import { useIdempotencyKey } from "@/hooks/useIdempotencyKey";

import { collectionsOrderId, KIND_LABELS, useCompleteOrder, type Order } from "../api/queries";
import { needsRead, parseRead } from "../worklist";

/** One stop on the route: what to do, where, and completing it with a read and notes. */
export function OrderCard({ order, onTyping, onCompleted }: {
  order: Order; onTyping: (dirty: boolean) => void; onCompleted?: (order: Order, read: string | null) => void;
}) {
  const [open, setOpen] = useState(false);
  const [read, setRead] = useState("");
  const [notes, setNotes] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [key] = useIdempotencyKey();
  const complete = useCompleteOrder();
  const guarded = order.kind === "disconnect_nonpayment" && !!collectionsOrderId(order);
  const readRequired = needsRead(order);

  function submit(event: FormEvent) {
    event.preventDefault();
    const value = parseRead(read);
    if (value === "invalid") return setError("A read is a number, at most three decimals");
    if (readRequired && value === null) return setError("This order needs a meter read");
    setError(null);
    complete.mutate({ order, done: { read: value, notes: notes.trim() || null }, key }, {
      onSuccess: () => { onTyping(false); onCompleted?.(order, value); },
    });
  }

  return (
    <Card withBorder padding="sm" component="article" aria-label={`Order ${order.number}`}>
      <Group justify="space-between" wrap="nowrap">
        <Text fw={700}>{KIND_LABELS[order.kind]}</Text>
        <Badge variant="light">#{order.number}</Badge>
      </Group>
      <Text>{order.address}</Text>
      <Text size="sm" c="gray.7">
        {order.meter_serial ? `Meter ${order.meter_serial} · ` : ""}due {order.scheduled_date}
        {order.technician ? ` · ${order.technician}` : ""}
      </Text>
      {order.reason && <Text size="sm">{order.reason}</Text>}
      {guarded && <Text size="sm" c="orange.9">SB 998 guardrails are checked again when you complete it.</Text>}
      {complete.isSuccess ? (
        <Badge color="green" mt="xs" size="lg">Completed</Badge>
      ) : !open ? (
        <Button mt="sm" size="md" fullWidth onClick={() => setOpen(true)}>Complete #{order.number}</Button>
      ) : (
        <Stack component="form" onSubmit={submit} mt="sm" gap="xs" aria-label={`Complete order ${order.number}`}>
          {order.meter_id && !guarded && (
            <TextInput label={`Read${order.meter_serial ? ` of ${order.meter_serial}` : ""}`} size="md"
              inputMode="decimal" autoComplete="off" withAsterisk={readRequired} aria-required={readRequired}
              data-autofocus value={read}
              error={error} onChange={(e) => { setRead(e.currentTarget.value); onTyping(true); }} />
          )}
          <Textarea label="Notes" size="md" autosize minRows={2} value={notes}
            onChange={(e) => { setNotes(e.currentTarget.value); onTyping(true); }} />
          {error && !(order.meter_id && !guarded) && <Text c="red.8" size="sm">{error}</Text>}
          <Group grow>
            <Button variant="default" size="md" onClick={() => { setOpen(false); onTyping(false); }}>Back</Button>
            <Button type="submit" size="md" loading={complete.isPending}>Done</Button>
          </Group>
        </Stack>
      )}
    </Card>
  );
}
