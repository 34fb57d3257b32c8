import { Button, Card, Group, NumberInput, SimpleGrid, Stack, Text, TextInput, Title }
  from "@mantine/core";
import { useMemo, useState, type FormEvent } from "react";

import { UnsavedChangesModal } from "@/components/UnsavedChangesModal";
import { useIdempotencyKey } from "@/hooks/useIdempotencyKey";
import { useUnsavedChangesGuard } from "@/hooks/useUnsavedChangesGuard";

import { useCreateRateVersion, type RateVersion } from "../api/rates";
import { changedPrices, nextVersion, priceFields, priceProblem } from "../rateFields";
import { Notice } from "./Notice";

/** The next schedule: the latest's structure, new prices, a name and the day it takes effect. */
export function NextRateVersion({ base, onDone }: {
  base: RateVersion; onDone: (createdId: string | null) => void;
}) {
  const fields = useMemo(() => priceFields(base), [base]);
  const [prices, setPrices] = useState<Record<string, string>>(
    () => Object.fromEntries(fields.map((f) => [f.key, f.value])));
  const [name, setName] = useState("");
  const [effective, setEffective] = useState("");
  const [stage, setStage] = useState<number>(base.drought_stage ?? 0);
  const [key] = useIdempotencyKey();
  const create = useCreateRateVersion();
  const changed = changedPrices(fields, prices);
  const problems = Object.fromEntries(
    fields.map((f) => [f.key, priceProblem(prices[f.key] ?? "")]));
  const valid = Object.values(problems).every((p) => p === null);
  const dirty = !create.isSuccess && (name !== "" || effective !== "" || changed.length > 0);
  const blocker = useUnsavedChangesGuard(dirty);
  const groups = [...new Set(fields.map((f) => f.group))];

  function submit(event: FormEvent) {
    event.preventDefault();
    if (!valid) return;
    create.mutate({ body: nextVersion(base, prices, { name, effective_date: effective,
      drought_stage: stage }), key }, { onSuccess: (v) => onDone(v.id) });
  }

  return (
    <Card withBorder component="form" onSubmit={submit} aria-label="Next rate schedule version">
      <Title order={2} size="h4">Next version after “{base.name}”</Title>
      <Text size="sm" c="gray.7" mb="sm">Same services, classes and blocks; change the prices.
        A bill period spanning the effective date is split by days.</Text>
      <Stack>
        <Group align="flex-end">
          <TextInput label="Name" required value={name} maxLength={120} w={280}
            onChange={(e) => setName(e.currentTarget.value)} data-autofocus />
          <TextInput type="date" label="Effective date" required value={effective}
            onChange={(e) => setEffective(e.currentTarget.value)} />
          <NumberInput label="Drought stage" min={0} max={9} allowDecimal={false} w={140}
            value={stage} onChange={(v) => setStage(typeof v === "number" ? v : 0)} />
        </Group>
        {groups.map((g) => (
          <fieldset key={g} style={{ border: 0, padding: 0, margin: 0 }}>
            <legend><Text fw={600} size="sm">{g}</Text></legend>
            <SimpleGrid cols={{ base: 1, sm: 3 }}>
              {fields.filter((f) => f.group === g).map((f) => (
                <TextInput key={f.key} label={`${f.label} ($)`} inputMode="decimal"
                  value={prices[f.key]} error={problems[f.key]}
                  description={(prices[f.key] ?? "").trim() !== f.value
                    ? `was ${f.value}` : undefined}
                  onChange={(e) => {
                    const value = e.currentTarget.value;
                    setPrices((p) => ({ ...p, [f.key]: value }));
                  }} />
              ))}
            </SimpleGrid>
          </fieldset>
        ))}
        {changed.length > 0 && (
          <Notice color="blue">{changed.length} price{changed.length === 1 ? "" : "s"}
            {" "}changed from “{base.name}”.</Notice>
        )}
        <Group>
          <Button type="submit" disabled={!valid} loading={create.isPending}>Create version</Button>
          <Button variant="default" onClick={() => onDone(null)}>Cancel</Button>
        </Group>
      </Stack>
      <UnsavedChangesModal blocker={blocker} />
    </Card>
  );
}
