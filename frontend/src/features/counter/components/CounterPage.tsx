import { Card, Group, Loader, Stack, Table, Text, Title } from "@mantine/core";
import { useState } from "react";

import { Money } from "@/components/Money";
import { useSession } from "@/lib/auth";

import { useMyDrawer, type Drawer } from "../api/queries";
import { ClosedDrawer, CloseDrawer } from "./CloseDrawer";
import { DrawerHistory } from "./DrawerHistory";
import { OpenDrawer } from "./OpenDrawer";
import { TakePayment } from "./TakePayment";

/** The cashier's counter: open a drawer, take payments by tender, close with a count. */
export function CounterPage() {
  const username = useSession()?.username ?? "";
  const drawer = useMyDrawer(username);
  const [closed, setClosed] = useState<Drawer | null>(null);
  if (drawer.isLoading) return <Loader aria-label="Loading drawer" />;
  if (!drawer.data) {
    return (
      <Stack>
        {closed && <ClosedDrawer drawer={closed} />}
        <OpenDrawer />
        <DrawerHistory username={username} />
      </Stack>
    );
  }
  const d = drawer.data;
  return (
    <Stack>
      <Card withBorder>
        <Group justify="space-between">
          <Title order={1} size="h3">Drawer of {d.cashier}</Title>
          <Text size="sm">Opened {new Date(d.opened_at).toLocaleTimeString()} with{" "}
            <Money value={d.float_amount} /></Text>
        </Group>
        {d.taken.length > 0 && (
          <Table mt="sm" aria-label="Taken by tender">
            <Table.Tbody>
              {d.taken.map((t) => (
                <Table.Tr key={t.tender}>
                  <Table.Td>{t.tender.replace("_", " ")}</Table.Td><Table.Td>{t.count}</Table.Td>
                  <Table.Td ta="right"><Money value={t.total} /></Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Card>
      <TakePayment drawerId={d.id} />
      <CloseDrawer drawer={d} onClosed={setClosed} />
    </Stack>
  );
}
