import { Stack, Tabs, Title } from "@mantine/core";
import { useNavigate, useParams } from "react-router-dom";

import { useDevInbox } from "../api/queries";
import { DevInbox } from "./DevInbox";
import { TemplatePreview } from "./TemplatePreview";
import { UndeliverableList } from "./UndeliverableList";

const TABS = ["templates", "undeliverable", "inbox"] as const;
type Tab = (typeof TABS)[number];

/** Customer messages across the district: templates, what could not be delivered, and (in
 * demo mode) the development inbox. An account's own messages are on Account 360. */
export function NotificationsPage() {
  const { tab } = useParams();
  const navigate = useNavigate();
  const inbox = useDevInbox();
  const current: Tab = TABS.includes(tab as Tab) ? (tab as Tab) : "templates";
  return (
    <Stack>
      <Title order={1} size="h3">Customer messages</Title>
      <Tabs value={current} keepMounted={false}
        onChange={(v) => v && navigate(`/notifications/${v}`)}>
        <Tabs.List>
          <Tabs.Tab value="templates">Templates</Tabs.Tab>
          <Tabs.Tab value="undeliverable">Undeliverable</Tabs.Tab>
          {(inbox.data || current === "inbox") && (
            <Tabs.Tab value="inbox">Development inbox</Tabs.Tab>
          )}
        </Tabs.List>
        <Tabs.Panel value="templates" pt="md"><TemplatePreview /></Tabs.Panel>
        <Tabs.Panel value="undeliverable" pt="md"><UndeliverableList /></Tabs.Panel>
        <Tabs.Panel value="inbox" pt="md"><DevInbox /></Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
