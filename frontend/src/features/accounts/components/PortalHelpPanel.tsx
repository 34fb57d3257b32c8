import { Alert, Badge, Button, Group, Stack, Table, Text, TextInput, Title } from "@mantine/core";
import { useState, type FormEvent } from "react";

import { useIdempotencyKey } from "@/hooks/useIdempotencyKey";

import {
  useAutopay, useCancelAutopay, usePortalLoginAction, usePortalLogins, useSecondFactorOff,
  type PortalLogin,
} from "../api/portal";

/** Turning off a lost authenticator, after checking who calls: the reason is audited. */
function SecondFactorOff({ accountId, login }: { accountId: string; login: PortalLogin }) {
  const [reason, setReason] = useState("");
  const [key, renewKey] = useIdempotencyKey();
  const off = useSecondFactorOff(accountId);
  function submit(event: FormEvent) {
    event.preventDefault();
    off.mutate({ loginId: login.id, reason: reason.trim(), key },
      { onSuccess: () => { setReason(""); renewKey(); } });
  }
  return (
    <form onSubmit={submit} aria-label={`Turn off the second factor of ${login.email}`}>
      <Group align="flex-end" gap={4}>
        <TextInput size="xs" label="Why turn off two-step sign-in" required value={reason}
          placeholder="Lost phone; identity checked" minLength={3}
          onChange={(ev) => setReason(ev.currentTarget.value)} />
        <Button size="compact-xs" type="submit" variant="default" loading={off.isPending}>
          Turn off two-step sign-in
        </Button>
      </Group>
    </form>
  );
}

function LoginRow({ accountId, login }: { accountId: string; login: PortalLogin }) {
  const [key, renewKey] = useIdempotencyKey();
  const act = usePortalLoginAction(accountId);
  const run = (action: "resend" | "unlock") =>
    act.mutate({ loginId: login.id, action, key }, { onSuccess: renewKey });
  return (
    <Table.Tr>
      <Table.Td>{login.email}</Table.Td>
      <Table.Td>
        <Group gap={4}>
          <Badge variant="light" color={login.email_verified ? "green" : "yellow"}>
            {login.email_verified ? "confirmed" : "not confirmed"}
          </Badge>
          {login.locked && <Badge variant="light" color="red">locked</Badge>}
          {login.totp_enabled && <Badge variant="light">second factor</Badge>}
          {!login.active && <Badge variant="light" color="gray">inactive</Badge>}
        </Group>
      </Table.Td>
      <Table.Td>
        <Group gap={4}>
          {!login.email_verified && (
            <Button size="compact-xs" variant="default" loading={act.isPending}
              onClick={() => run("resend")}>Resend confirmation e-mail</Button>
          )}
          {login.locked && (
            <Button size="compact-xs" variant="default" loading={act.isPending}
              onClick={() => run("unlock")}>Unlock login</Button>
          )}
        </Group>
        {login.totp_enabled && <SecondFactorOff accountId={accountId} login={login} />}
        {act.isSuccess && (
          <Text size="xs">{act.variables?.action === "resend"
            ? `A new link went to ${login.email}.` : "Unlocked: the customer can sign in now."}
          </Text>
        )}
      </Table.Td>
    </Table.Tr>
  );
}

function Autopay({ accountId }: { accountId: string }) {
  const enrolment = useAutopay(accountId, true);
  const [reason, setReason] = useState("");
  const [key, renewKey] = useIdempotencyKey();
  const cancel = useCancelAutopay(accountId);
  function submit(event: FormEvent) {
    event.preventDefault();
    cancel.mutate({ reason: reason.trim(), key },
      { onSuccess: () => { setReason(""); renewKey(); } });
  }
  const e = enrolment.data;
  return (
    <Stack gap="xs">
      <Title order={3} size="h5">Autopay</Title>
      {enrolment.isLoading && <Text c="dimmed">Loading…</Text>}
      {enrolment.isError && <Text c="dimmed">Autopay could not be loaded.</Text>}
      {e === null && <Text c="dimmed">Not enrolled in autopay.</Text>}
      {e && (
        <Text size="sm">
          {e.method} {e.display} ({e.holder_name}) · <b>{e.status}</b> · enrolled {e.enrolled_on}
          {e.live_from ? ` · live from ${e.live_from}` : ""}
        </Text>
      )}
      {e && e.status !== "cancelled" && (
        <form onSubmit={submit} aria-label="Cancel autopay">
          <Group align="flex-end">
            <TextInput label="Why cancel autopay" required value={reason} style={{ flex: 1 }}
              onChange={(ev) => setReason(ev.currentTarget.value)} />
            <Button type="submit" color="red" variant="light" loading={cancel.isPending}>
              Cancel autopay
            </Button>
          </Group>
          <Text size="xs" c="dimmed" mt={4}>
            The customer enrols again from the portal with a new method (a reset).
          </Text>
        </form>
      )}
    </Stack>
  );
}

/** Helping a caller with the customer portal: their logins, and autopay. */
export function PortalHelpPanel({ accountId, canHelpLogins, canAutopay }: {
  accountId: string; canHelpLogins: boolean; canAutopay: boolean;
}) {
  const logins = usePortalLogins(accountId, canHelpLogins);
  return (
    <Stack gap="xl">
      {canHelpLogins && (
        <Stack gap="xs">
          <Title order={3} size="h5">Portal logins</Title>
          {logins.data?.length === 0 && (
            <Alert color="gray">No portal login reaches this account yet; the customer
              registers with the account number and a fact from a bill.</Alert>
          )}
          {!!logins.data?.length && (
            <Table aria-label="Portal logins">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>E-mail</Table.Th><Table.Th>State</Table.Th><Table.Th>Help</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {logins.data.map((l) => <LoginRow key={l.id} accountId={accountId} login={l} />)}
              </Table.Tbody>
            </Table>
          )}
        </Stack>
      )}
      {canAutopay && <Autopay accountId={accountId} />}
    </Stack>
  );
}
