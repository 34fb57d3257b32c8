import { Group, Loader, Select, Stack, Switch, Text, TextInput, Title } from "@mantine/core";
import dayjs from "dayjs";
import { useState } from "react";

import { ReadableAlert } from "@/components/ReadableAlert";
import { UnsavedChangesModal } from "@/components/UnsavedChangesModal";
import { useUnsavedChangesGuard } from "@/hooks/useUnsavedChangesGuard";
import { useSession } from "@/lib/auth";

import { KIND_LABELS, useWorklist, type Order } from "../api/queries";
import { byRoute } from "../worklist";
import { OrderCard } from "./OrderCard";

/** The field technician's day on a phone: pick a route, walk it, complete each stop. */
export function FieldWorklist() {
  const session = useSession();
  const [through, setThrough] = useState(dayjs().format("YYYY-MM-DD"));
  const [mine, setMine] = useState(session?.role === "field_tech");
  const [route, setRoute] = useState<string | null>(null);
  const [typing, setTyping] = useState(false);
  const [completed, setCompleted] = useState<{ order: Order; read: string | null }[]>([]);
  const blocker = useUnsavedChangesGuard(typing);
  const list = useWorklist(through, mine ? session?.username ?? null : null);
  const groups = byRoute(list.data ?? []);
  const shown = groups.find((g) => `${g.cycle}/${g.route}` === route) ?? (groups.length === 1 ? groups[0] : null);

  return (
    <Stack maw={560} gap="sm">
      <UnsavedChangesModal blocker={blocker} />
      <Title order={1} size="h3">Worklist</Title>
      <Group grow align="flex-end">
        <TextInput type="date" label="Due by" size="md" value={through}
          onChange={(e) => setThrough(e.currentTarget.value || dayjs().format("YYYY-MM-DD"))} />
        <Switch label="Only mine" size="md" checked={mine} onChange={(e) => setMine(e.currentTarget.checked)} />
      </Group>
      {completed.length > 0 && (
        <ReadableAlert color="green.9" title="Completed" withCloseButton closeButtonLabel="Dismiss" onClose={() => setCompleted([])}>
          {completed.map(({ order, read }) => (
            <Text size="sm" key={order.id}>#{order.number} {KIND_LABELS[order.kind]}, {order.address}
              {read ? ` · read ${read}` : ""}</Text>
          ))}
        </ReadableAlert>
      )}
      {list.isPending && <Loader role="status" aria-label="Loading the worklist" />}
      {list.data && groups.length === 0 && <ReadableAlert color="gray.8" title="Nothing due">No open order is due by {through}.</ReadableAlert>}
      {groups.length > 0 && (
        <Select label="Route" size="md" allowDeselect={false}
          data={groups.map((g) => ({ value: `${g.cycle}/${g.route}`,
            label: `${g.route} (cycle ${g.cycle}): ${g.orders.length} stop(s)` }))}
          value={shown ? `${shown.cycle}/${shown.route}` : null} onChange={setRoute}
          placeholder="Pick a route" />
      )}
      {shown && (
        <>
          <Text size="sm" c="gray.7">{shown.orders.length} stop(s) in walking order</Text>
          {shown.orders.map((o) => <OrderCard key={o.id} order={o} onTyping={setTyping}
            onCompleted={(order, read) => setCompleted((c) => [{ order, read }, ...c])} />)}
        </>
      )}
    </Stack>
  );
}
