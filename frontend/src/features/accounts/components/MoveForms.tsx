import { Alert, Button, Checkbox, Group, Select, Stack, Text, TextInput, Title } from "@mantine/core";
import { useState, type FormEvent } from "react";

import { UnsavedChangesModal } from "@/components/UnsavedChangesModal";
import { useIdempotencyKey } from "@/hooks/useIdempotencyKey";
import { useUnsavedChangesGuard } from "@/hooks/useUnsavedChangesGuard";

import type { Agreement, Premise } from "../api/queries";
import { useStopService, useTransferService, type SearchHit } from "../api/service";
import { PremisePicker } from "./PremisePicker";
import { today } from "./StartServiceForm";

function premiseChoices(agreements: Agreement[], premises: Map<string, Premise | undefined>) {
  const ids = [...new Set(agreements.filter((a) => a.status === "active")
    .map((a) => a.premise_id))];
  return ids.map((id) => {
    const p = premises.get(id);
    return { value: id, label: p ? `${p.address.line1}, ${p.address.city}` : id };
  });
}

/** Move-out: stop at one premise or everywhere; the final read is ordered by the server. */
export function StopServiceForm({ accountId, agreements, premises }: {
  accountId: string; agreements: Agreement[]; premises: Map<string, Premise | undefined>;
}) {
  const choices = premiseChoices(agreements, premises);
  const [premiseId, setPremiseId] = useState<string | null>(
    choices.length === 1 ? choices[0]!.value : null);
  const [stopDate, setStopDate] = useState(today);
  const [continuous, setContinuous] = useState(true);
  const [key, renewKey] = useIdempotencyKey();
  const stop = useStopService();

  function submit(event: FormEvent) {
    event.preventDefault();
    stop.mutate({ body: { account_id: accountId, stop_date: stopDate, premise_id: premiseId,
      continuous_service: continuous }, key }, { onSuccess: renewKey });
  }

  if (stop.data) {
    return (
      <Alert color="green" title="Service stopped">
        {stop.data.stopped.length} agreement(s) stopped
        {stop.data.reverted_to_owner.length > 0
          && `, ${stop.data.reverted_to_owner.length} reverted to the owner's account`}.
        Final read order(s): {stop.data.final_read_orders.map((o) => `#${o.number}`).join(", ")}.
        A closing letter is on its way; the closing bill follows the final read.
      </Alert>
    );
  }
  if (choices.length === 0) return <Text c="dimmed">No active service to stop.</Text>;
  return (
    <form onSubmit={submit} aria-label="Stop service">
      <Stack gap="sm">
        <Title order={3} size="h5">Stop service</Title>
        <Select label="Premise" data={choices} value={premiseId} onChange={setPremiseId}
          placeholder="Every premise on the account" clearable />
        <TextInput type="date" label="Stop date" required value={stopDate} w={200}
          onChange={(e) => setStopDate(e.currentTarget.value)} />
        <Checkbox checked={continuous} onChange={(e) => setContinuous(e.currentTarget.checked)}
          label="Continuous service: revert to the owner's account where the premise has one" />
        <Group justify="flex-end">
          <Button type="submit" color="red" loading={stop.isPending}>Stop service</Button>
        </Group>
      </Stack>
    </form>
  );
}

/** Moving within the district: stop at one premise and start at another in one operation. */
export function TransferServiceForm({ accountId, agreements, premises }: {
  accountId: string; agreements: Agreement[]; premises: Map<string, Premise | undefined>;
}) {
  const choices = premiseChoices(agreements, premises);
  const [from, setFrom] = useState<string | null>(choices.length === 1 ? choices[0]!.value : null);
  const [to, setTo] = useState<SearchHit | null>(null);
  const [stopDate, setStopDate] = useState(today);
  const [startDate, setStartDate] = useState(today);
  const [key, renewKey] = useIdempotencyKey();
  const transfer = useTransferService();
  const blocker = useUnsavedChangesGuard(!!to && !transfer.isSuccess);

  function submit(event: FormEvent) {
    event.preventDefault();
    if (!from || !to) return;
    transfer.mutate({ body: { account_id: accountId, from_premise_id: from,
      to_premise_id: to.id, stop_date: stopDate, start_date: startDate }, key },
    { onSuccess: renewKey });
  }

  if (transfer.data) {
    return (
      <Alert color="green" title="Service transferred">
        Stopped {transfer.data.stopped.length}, started {transfer.data.started.length}{" "}
        agreement(s). Final read order(s){" "}
        {transfer.data.final_read_orders.map((o) => `#${o.number}`).join(", ")}; turn-on order
        #{transfer.data.turn_on_order.number} for {transfer.data.turn_on_order.scheduled_date}.
      </Alert>
    );
  }
  if (choices.length === 0) return <Text c="dimmed">No active service to transfer.</Text>;
  return (
    <form onSubmit={submit} aria-label="Transfer service">
      <UnsavedChangesModal blocker={blocker} />
      <Stack gap="sm">
        <Title order={3} size="h5">Transfer service</Title>
        <Select label="From premise" data={choices} value={from} onChange={setFrom} required />
        <PremisePicker label="To premise" value={to} onChange={setTo} required />
        <Group>
          <TextInput type="date" label="Stop date" required value={stopDate} w={200}
            onChange={(e) => setStopDate(e.currentTarget.value)} />
          <TextInput type="date" label="Start date" required value={startDate} w={200}
            onChange={(e) => setStartDate(e.currentTarget.value)} />
        </Group>
        <Group justify="flex-end">
          <Button type="submit" loading={transfer.isPending} disabled={!from || !to}>
            Transfer service
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
