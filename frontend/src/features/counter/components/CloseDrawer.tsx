import { Button, Card, Group, NumberInput, SimpleGrid, Text, Title } from "@mantine/core";
import { useState, type FormEvent } from "react";

import { Money } from "@/components/Money";
import { ReadableAlert } from "@/components/ReadableAlert";
import { useIdempotencyKey } from "@/hooks/useIdempotencyKey";

import { DENOMINATIONS, useCloseDrawer, type Drawer } from "../api/queries";
import { countTotal } from "../countTotal";

function label(d: string): string {
  return d.includes(".") ? `${Math.round(Number(d) * 100)}¢` : `$${d}`;
}

/** What the count came to, after the drawer is closed (shown above the next "Open"). */
export function ClosedDrawer({ drawer }: { drawer: Drawer }) {
  return (
    <ReadableAlert color="blue" title="Drawer closed">
      Counted <Money value={drawer.counted_cash} />, expected{" "}
      <Money value={drawer.expected_cash} />, over/short <Money value={drawer.over_short} />.
      A supervisor signs it off.
    </ReadableAlert>
  );
}

/** Close the drawer with a count by denomination; the server works out over or short. */
export function CloseDrawer({ drawer, onClosed }: {
  drawer: Drawer; onClosed: (closed: Drawer) => void;
}) {
  const [counts, setCounts] = useState<Record<string, number>>({});
  const [key] = useIdempotencyKey();
  const close = useCloseDrawer(drawer.id);

  function submit(event: FormEvent) {
    event.preventDefault();
    const nonZero = Object.fromEntries(Object.entries(counts).filter(([, n]) => n > 0));
    close.mutate({ counts: nonZero, key }, { onSuccess: onClosed });
  }

  return (
    <Card withBorder component="form" onSubmit={submit} aria-label="Close the drawer">
      <Title order={2} size="h4" mb="sm">Close with a count</Title>
      <SimpleGrid cols={{ base: 3, sm: 6 }}>
        {DENOMINATIONS.map((d) => (
          <NumberInput key={d} label={label(d)} min={0} allowDecimal={false} allowNegative={false}
            value={counts[d] ?? ""} onChange={(v) =>
              setCounts((c) => ({ ...c, [d]: typeof v === "number" ? v : 0 }))} />
        ))}
      </SimpleGrid>
      <Group justify="space-between" mt="md">
        <Text>Cash counted <Money value={countTotal(counts)} fw={700} /></Text>
        <Button type="submit" color="orange" loading={close.isPending}>Close drawer</Button>
      </Group>
    </Card>
  );
}
