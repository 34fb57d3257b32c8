import { Anchor, Kbd, Stack, Text, Title } from "@mantine/core";
import { Link } from "react-router-dom";

import { useSession } from "@/lib/auth";
import { can, ROLE_NAMES } from "@/lib/permissions";

export function Home() {
  const session = useSession();
  return (
    <Stack maw={640}>
      <Title order={1} size="h3">Welcome, {session?.username}</Title>
      <Text c="dimmed">{ROLE_NAMES[session?.role ?? ""] ?? session?.role}</Text>
      {can(session?.role, "accounts.read") ? (
        <Text>
          Press <Kbd>/</Kbd> to search for a customer by name, address, account number, phone,
          meter serial or APN.
        </Text>
      ) : can(session?.role, "orders.work") ? (
        // ui-collect: a field technician's day starts at the worklist
        <Anchor component={Link} to="/field" size="lg">Open my worklist</Anchor>
      ) : (
        <Text>There is no screen for your role in the staff app yet.</Text>
      )}
      {/* ui-cash */}
      {can(session?.role, "approvals.inbox") && (
        <Text>
          Requests waiting for a supervisor, from every service, are in the{" "}
          <Anchor component={Link} to="/approvals">approvals inbox</Anchor>.
        </Text>
      )}
      {can(session?.role, "admin.manage") && (
        <Text>
          Users, dollar authority and parked events are under{" "}
          <Anchor component={Link} to="/admin">Admin</Anchor>.
        </Text>
      )}
    </Stack>
  );
}
