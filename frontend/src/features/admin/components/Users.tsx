import {
  Badge, Button, Card, Group, Modal, PasswordInput, Select, Stack, Switch, Table, Text, TextInput,
  Title,
} from "@mantine/core";
import { useState, type FormEvent } from "react";

import { UnsavedChangesModal } from "@/components/UnsavedChangesModal";
import { useIdempotencyKey } from "@/hooks/useIdempotencyKey";
import { useUnsavedChangesGuard } from "@/hooks/useUnsavedChangesGuard";
import { useSession } from "@/lib/auth";
import { newId } from "@/lib/ids";
import { ROLE_NAMES } from "@/lib/permissions";

import { useCreateUser, useUpdateUser, useUsers, type Role, type User } from "../api/queries";
import { passwordProblem, STAFF_ROLES } from "../rules";

const ROLE_OPTIONS = STAFF_ROLES.map((r) => ({ value: r, label: ROLE_NAMES[r] ?? r }));

function CreateUser() {
  const [username, setUsername] = useState("");
  const [name, setName] = useState("");
  const [role, setRole] = useState<string | null>("csr1");
  const [password, setPassword] = useState("");
  const [key, renew] = useIdempotencyKey();
  const create = useCreateUser();
  const blocker = useUnsavedChangesGuard(username !== "" || name !== "" || password !== "");
  const weak = password ? passwordProblem(password) : null;
  function submit(event: FormEvent) {
    event.preventDefault();
    create.mutate({ key, body: { username: username.trim(), display_name: name.trim(),
      role: (role ?? "csr1") as Role, password, accounts: [] } }, {
      onSuccess: () => {
        setUsername("");
        setName("");
        setPassword("");
        renew();
      },
    });
  }
  return (
    <Card withBorder component="form" onSubmit={submit} aria-label="Add a user">
      <UnsavedChangesModal blocker={blocker} />
      <Title order={2} size="h4" mb="sm">Add a staff user</Title>
      <Group align="flex-start" wrap="wrap">
        <TextInput label="Username" required value={username} w={170} autoComplete="off"
          onChange={(e) => setUsername(e.currentTarget.value)} />
        <TextInput label="Name" required value={name} w={220}
          onChange={(e) => setName(e.currentTarget.value)} />
        <Select label="Role" data={ROLE_OPTIONS} value={role} onChange={setRole}
          allowDeselect={false} w={260} />
        <PasswordInput label="Initial password" required value={password} w={220}
          autoComplete="new-password" error={weak}
          onChange={(e) => setPassword(e.currentTarget.value)} />
      </Group>
      <Group justify="flex-end" mt="sm">
        <Button type="submit" loading={create.isPending} disabled={!!weak}>Add user</Button>
      </Group>
    </Card>
  );
}

function EditUser({ user, onDone }: { user: User | null; onDone: () => void }) {
  const [role, setRole] = useState<string | null>(user?.role ?? null);
  const [name, setName] = useState(user?.display_name ?? "");
  const [password, setPassword] = useState("");
  const [key] = useState(newId);
  const update = useUpdateUser();
  if (!user) return null;
  const weak = password ? passwordProblem(password) : null;
  function submit(event: FormEvent) {
    event.preventDefault();
    const body: Record<string, unknown> = {};
    if (role && role !== user!.role) body.role = role;
    if (name.trim() && name.trim() !== user!.display_name) body.display_name = name.trim();
    if (password) body.password = password;
    update.mutate({ username: user!.username, body, key }, { onSuccess: onDone });
  }
  return (
    <Modal opened onClose={onDone} centered title={`Change ${user.username}`}>
      <Stack component="form" onSubmit={submit} aria-label={`Change ${user.username}`}>
        <TextInput data-autofocus label="Name" value={name}
          onChange={(e) => setName(e.currentTarget.value)} />
        {user.role !== "customer" && (
          <Select label="Role" data={ROLE_OPTIONS} value={role} onChange={setRole}
            allowDeselect={false} />
        )}
        <PasswordInput label="New password" value={password} autoComplete="new-password"
          description="Leave empty to keep the password" error={weak}
          onChange={(e) => setPassword(e.currentTarget.value)} />
        <Text size="xs" c="dimmed">Saving ends the user's sessions.</Text>
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>Cancel</Button>
          <Button type="submit" loading={update.isPending} disabled={!!weak}>Save</Button>
        </Group>
      </Stack>
    </Modal>
  );
}

/** Users and roles: add staff, change a role or password, deactivate (sessions end). */
export function Users() {
  const me = useSession()?.username;
  const users = useUsers();
  const update = useUpdateUser();
  const [editing, setEditing] = useState<User | null>(null);
  const [showCustomers, setShowCustomers] = useState(false);
  const rows = (users.data ?? []).filter((u) => showCustomers || u.role !== "customer");
  return (
    <Stack>
      <CreateUser />
      <Group justify="space-between">
        <Title order={2} size="h4">Users</Title>
        <Switch label="Show portal customers" checked={showCustomers}
          onChange={(e) => setShowCustomers(e.currentTarget.checked)} />
      </Group>
      <Table aria-label="Users" striped>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Username</Table.Th><Table.Th>Name</Table.Th><Table.Th>Role</Table.Th>
            <Table.Th>Active</Table.Th><Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((u) => (
            <Table.Tr key={u.id}>
              <Table.Td>{u.username}</Table.Td><Table.Td>{u.display_name}</Table.Td>
              <Table.Td>{ROLE_NAMES[u.role] ?? u.role}</Table.Td>
              <Table.Td>
                <Badge color={u.active ? "green" : "gray"}>
                  {u.active ? "active" : "inactive"}
                </Badge>
              </Table.Td>
              <Table.Td>
                <Group gap="xs" wrap="nowrap">
                  <Button size="xs" variant="light" onClick={() => setEditing(u)}
                    aria-label={`Change ${u.username}`}>Change</Button>
                  {u.username !== me && (
                    <Button size="xs" variant="subtle" color={u.active ? "red" : "green"}
                      aria-label={`${u.active ? "Deactivate" : "Reactivate"} ${u.username}`}
                      onClick={() => update.mutate({ username: u.username,
                        body: { active: !u.active }, key: newId() })}>
                      {u.active ? "Deactivate" : "Reactivate"}
                    </Button>
                  )}
                </Group>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <EditUser key={editing?.id ?? "none"} user={editing} onDone={() => setEditing(null)} />
    </Stack>
  );
}
