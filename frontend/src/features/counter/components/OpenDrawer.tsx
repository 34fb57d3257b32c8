import { Button, Card, Group, TextInput, Title } from "@mantine/core";
import { useState, type FormEvent } from "react";

import { useIdempotencyKey } from "@/hooks/useIdempotencyKey";

import { useOpenDrawer } from "../api/queries";

export function OpenDrawer() {
  const [float, setFloat] = useState("100.00");
  const [key] = useIdempotencyKey();
  const open = useOpenDrawer();
  function submit(event: FormEvent) {
    event.preventDefault();
    open.mutate({ float: float.trim(), key });
  }
  return (
    <Card withBorder component="form" onSubmit={submit} aria-label="Open a drawer">
      <Title order={2} size="h4" mb="sm">Open your drawer</Title>
      <Group align="flex-end">
        <TextInput label="Starting float ($)" inputMode="decimal" required value={float}
          onChange={(e) => setFloat(e.currentTarget.value)} w={180} />
        <Button type="submit" loading={open.isPending}>Open drawer</Button>
      </Group>
    </Card>
  );
}
