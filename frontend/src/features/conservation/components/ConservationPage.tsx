import { Stack, Tabs, Title } from "@mantine/core";
import { useNavigate, useParams } from "react-router-dom";

import { useSession } from "@/lib/auth";
import { can } from "@/lib/permissions";

import { Applications } from "./Applications";
import { CheckRequests } from "./CheckRequests";
import { IntakeForm } from "./IntakeForm";
import { Programmes } from "./Programmes";

const TABS = ["applications", "intake", "checks", "programmes"] as const;
type Tab = (typeof TABS)[number];

/** Conservation rebates: take in forms, approve or deny them, hand check requests to accounts
 * payable, and see the programmes' terms. */
export function ConservationPage() {
  const { tab } = useParams();
  const navigate = useNavigate();
  const role = useSession()?.role;
  const mayWork = can(role, "rebates.work");
  const current: Tab = TABS.includes(tab as Tab) ? (tab as Tab) : "applications";
  return (
    <Stack>
      <Title order={1} size="h3">Conservation rebates</Title>
      <Tabs value={current} keepMounted={false}
        onChange={(v) => v && navigate(`/conservation/${v}`)}>
        <Tabs.List>
          <Tabs.Tab value="applications">Applications</Tabs.Tab>
          {mayWork && <Tabs.Tab value="intake">Take in a form</Tabs.Tab>}
          <Tabs.Tab value="checks">Check requests</Tabs.Tab>
          <Tabs.Tab value="programmes">Programmes</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="applications" pt="md"><Applications /></Tabs.Panel>
        {mayWork && (
          <Tabs.Panel value="intake" pt="md">
            <IntakeForm />
          </Tabs.Panel>
        )}
        <Tabs.Panel value="checks" pt="md"><CheckRequests /></Tabs.Panel>
        <Tabs.Panel value="programmes" pt="md"><Programmes /></Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
