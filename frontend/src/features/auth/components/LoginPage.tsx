import { Alert, Button, Center, Paper, PasswordInput, Stack, TextInput, Title } from "@mantine/core";
import { useState, type FormEvent } from "react";

import { lastEndReason, login } from "@/lib/auth";
import { ApiProblem } from "@/lib/problem";

const ENDED: Record<string, string> = {
  expired: "Your session ended. Please log in again.",
  idle: "You were logged out after a period without activity.",
  logout: "You are logged out.",
};

/** Staff login: the gateway's OAuth2 password flow. */
export function LoginPage() {
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const ended = lastEndReason();

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await login(username.trim(), password);
    } catch (e) {
      setError(e instanceof ApiProblem ? e.message : "The server could not be reached.");
      setPassword("");
    } finally {
      setBusy(false);
    }
  }

  return (
    <Center mih="100vh" bg="gray.0">
      <Paper component="form" onSubmit={(e) => void submit(e)} withBorder shadow="sm" p="xl" w={360}
        aria-labelledby="login-title">
        <Stack>
          <Title order={1} size="h3" id="login-title">Tapline staff login</Title>
          {ended && !error && <Alert color="blue">{ENDED[ended]}</Alert>}
          {error && <Alert color="red" title="Login failed" role="alert">{error}</Alert>}
          <TextInput label="Username" name="username" autoComplete="username" required
            autoFocus value={username} onChange={(e) => setUsername(e.currentTarget.value)} />
          <PasswordInput label="Password" name="password" autoComplete="current-password"
            required value={password} onChange={(e) => setPassword(e.currentTarget.value)} />
          <Button type="submit" loading={busy}>Log in</Button>
        </Stack>
      </Paper>
    </Center>
  );
}
