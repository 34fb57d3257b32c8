import { Stack, Tabs, Title } from "@mantine/core";
import { useSearchParams } from "react-router-dom";

import { Authority } from "./Authority";
import { ParkedEvents } from "./ParkedEvents";
import { Users } from "./Users";

/** Administration: users and roles, dollar authority, parked events with replay. */
export function AdminPage() {
  const [params, setParams] = useSearchParams();
  const tab = params.get("tab") ?? "users";
  return (
    <Stack>
      <Title order={1} size="h3">Administration</Title>
      <Tabs value={tab} onChange={(v) => setParams({ tab: v ?? "users" }, { replace: true })}
        keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="users">Users and roles</Tabs.Tab>
          <Tabs.Tab value="authority">Dollar authority</Tabs.Tab>
          <Tabs.Tab value="events">Parked events</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="users" pt="md"><Users /></Tabs.Panel>
        <Tabs.Panel value="authority" pt="md"><Authority /></Tabs.Panel>
        <Tabs.Panel value="events" pt="md"><ParkedEvents /></Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
