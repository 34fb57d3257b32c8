import { Button, Card, Group, Text, TextInput, Title } from "@mantine/core";
import { useState, type FormEvent } from "react";

import { useIdempotencyKey } from "@/hooks/useIdempotencyKey";

import { useWinterAverages } from "../api/rates";
import { Notice } from "./Notice";

/** Wastewater billed on winter use: set every premise's basis from a winter window. */
export function WinterAverages() {
  const [start, setStart] = useState("");
  const [end, setEnd] = useState("");
  const [key, renew] = useIdempotencyKey();
  const compute = useWinterAverages();
  function submit(event: FormEvent) {
    event.preventDefault();
    compute.mutate({ start, end, key }, { onSuccess: renew });
  }
  return (
    <Card withBorder component="form" onSubmit={submit} aria-label="Winter averages">
      <Title order={2} size="h5">Wastewater winter averages</Title>
      <Text size="sm" c="gray.7" mb="xs">Classes billed on the winter average use each premise's
        water use in this window.</Text>
      <Group align="flex-end">
        <TextInput type="date" label="Winter from" required value={start}
          onChange={(e) => setStart(e.currentTarget.value)} />
        <TextInput type="date" label="Winter to" required value={end}
          onChange={(e) => setEnd(e.currentTarget.value)} />
        <Button type="submit" variant="default" loading={compute.isPending}>Compute</Button>
      </Group>
      {compute.data && (
        <Notice color="green" mt="sm">{compute.data.premises} premises now have a winter
          average.</Notice>
      )}
    </Card>
  );
}
