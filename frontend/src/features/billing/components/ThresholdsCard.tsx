import { Button, Card, Group, Loader, SimpleGrid, Text, TextInput, Title } from "@mantine/core";
import { useState, type FormEvent } from "react";

import { UnsavedChangesModal } from "@/components/UnsavedChangesModal";
import { useIdempotencyKey } from "@/hooks/useIdempotencyKey";
import { useUnsavedChangesGuard } from "@/hooks/useUnsavedChangesGuard";

export interface ThresholdField {
  key: string;
  label: string;
  help: string;
  integer?: boolean;
}

/**
 * Configuration billing judges by (read validation, run review flags): shown to technicians,
 * changed by supervisors (the server allows only them). Values stay the API's strings.
 */
export function ThresholdsCard({ title, fields, values, loading, editable, saving, onSave }: {
  title: string;
  fields: ThresholdField[];
  values: Record<string, string | number> | undefined;
  loading: boolean;
  editable: boolean;
  saving: boolean;
  onSave: (body: Record<string, string | number>, key: string, done: () => void) => void;
}) {
  const [form, setForm] = useState<Record<string, string>>({});
  const [key, renew] = useIdempotencyKey();
  // The saved values (again) whenever the server's answer changes, as React's "adjusting state
  // when a prop changes" does it: during render, not in an effect.
  const [shown, setShown] = useState<typeof values>(undefined);
  if (values !== shown) {
    setShown(values);
    if (values) setForm(Object.fromEntries(fields.map((f) => [f.key, String(values[f.key])])));
  }
  const dirty = !!values && fields.some((f) => form[f.key] !== String(values[f.key]));
  const blocker = useUnsavedChangesGuard(dirty);

  function submit(event: FormEvent) {
    event.preventDefault();
    const body = Object.fromEntries(fields.map((f) => {
      const v = (form[f.key] ?? "").trim();
      return [f.key, f.integer ? Number.parseInt(v, 10) : v];
    }));
    onSave(body, key, renew);
  }

  return (
    <Card withBorder component="form" onSubmit={submit} aria-label={title}>
      <Title order={2} size="h5" mb="xs">{title}</Title>
      {loading && <Loader role="status" size="sm" aria-label={`Loading ${title}`} />}
      {values && (
        <SimpleGrid cols={{ base: 1, sm: fields.length }}>
          {fields.map((f) => (
            <TextInput key={f.key} label={f.label} description={f.help} inputMode="decimal"
              value={form[f.key] ?? ""} readOnly={!editable} required
              onChange={(e) => {
                const v = e.currentTarget.value;
                setForm((old) => ({ ...old, [f.key]: v }));
              }} />
          ))}
        </SimpleGrid>
      )}
      {editable && values && (
        <Group mt="sm">
          <Button type="submit" disabled={!dirty} loading={saving}>Save</Button>
        </Group>
      )}
      {!editable && <Text size="xs" c="gray.7" mt="xs">A supervisor changes these.</Text>}
      <UnsavedChangesModal blocker={blocker} />
    </Card>
  );
}
