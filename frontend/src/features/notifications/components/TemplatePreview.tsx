import {
  Badge, Button, Card, Code, Group, Loader, Select, SimpleGrid, Stack, Text, TextInput, Title,
} from "@mantine/core";
import { useState, type FormEvent } from "react";
import { useSearchParams } from "react-router-dom";

import { useKinds, usePreview, type Preview } from "../api/queries";
import { smsLength } from "../sms";
import { languageLabel } from "../status";

export const SAMPLE_NAME = "María López";

function Rendered({ preview }: { preview: Preview }) {
  const sms = smsLength(preview.sms);
  const lang = languageLabel(preview.language);
  return (
    <Stack aria-label="Preview" aria-live="polite">
      <Card withBorder>
        <Text size="sm" c="dimmed">Subject</Text>
        <Text fw={600} data-testid="preview-subject">{preview.subject}</Text>
      </Card>
      <SimpleGrid cols={{ base: 1, lg: 2 }}>
        <Card withBorder>
          <Title order={3} size="h5" mb="xs">Plain text</Title>
          <Code block style={{ whiteSpace: "pre-wrap" }} data-testid="preview-text">
            {preview.text}</Code>
        </Card>
        <Card withBorder>
          <Title order={3} size="h5" mb="xs">HTML</Title>
          {preview.html ? (
            // No scripts, forms, plug-ins or same-origin access: the template is shown, never run.
            <iframe sandbox="" srcDoc={preview.html} title={`HTML e-mail, ${lang}`}
              data-testid="preview-html"
              style={{ width: "100%", minHeight: 360, border: "1px solid var(--mantine-color-gray-4)",
                background: "white" }} />
          ) : <Text c="dimmed">This kind has no HTML part: the plain text is sent alone.</Text>}
        </Card>
      </SimpleGrid>
      <Card withBorder>
        <Group justify="space-between" mb="xs">
          <Title order={3} size="h5">Text message</Title>
          <Group gap="xs">
            <Badge color="gray.7" variant="outline">{sms.characters} characters</Badge>
            <Badge color={sms.parts > 1 ? "orange.9" : "gray.7"} variant="outline">
              {sms.parts} {sms.parts === 1 ? "part" : "parts"} ({sms.encoding})</Badge>
          </Group>
        </Group>
        <Code block style={{ whiteSpace: "pre-wrap" }} data-testid="preview-sms">{preview.sms}</Code>
      </Card>
    </Stack>
  );
}

/**
 * Every kind of message in every language the district writes it in, filled with sample facts
 * as the customer would read it: subject, plain text, the HTML part (in a sandboxed frame) and
 * the text message with its length. The kind and language are kept in the address.
 */
export function TemplatePreview() {
  const kinds = useKinds();
  const [params, setParams] = useSearchParams();
  const [kind, setKind] = useState<string | null>(params.get("kind"));
  const [language, setLanguage] = useState(params.get("language") ?? "en");
  const [name, setName] = useState(SAMPLE_NAME);
  const [shown, setShown] = useState<{ kind: string; language: string; name: string } | null>(
    params.get("kind") ? { kind: params.get("kind")!, language, name } : null);
  const preview = usePreview(shown?.kind ?? null, shown?.language ?? "en",
    shown ? { name: shown.name } : {});

  const chosen = kinds.data?.find((k) => k.kind === kind);
  const languages = chosen?.languages ?? kinds.data?.[0]?.languages ?? ["en"];

  function submit(event: FormEvent) {
    event.preventDefault();
    if (!kind) return;
    setShown({ kind, language, name: name.trim() || SAMPLE_NAME });
    setParams((p) => {
      p.set("kind", kind);
      p.set("language", language);
      return p;
    }, { replace: true });
  }

  return (
    <Stack>
      <form onSubmit={submit} aria-label="Preview a template">
        <Group align="flex-end">
          <Select label="Kind of message" required w={300} searchable
            data={(kinds.data ?? []).map((k) => ({ value: k.kind, label: k.label }))}
            value={kind} onChange={setKind} allowDeselect={false}
            nothingFoundMessage="No such kind" />
          <Select label="Language" required w={200} allowDeselect={false}
            data={languages.map((l) => ({ value: l, label: languageLabel(l) }))}
            value={language} onChange={(v) => v && setLanguage(v)} />
          <TextInput label="Customer name" w={220} value={name}
            onChange={(e) => setName(e.currentTarget.value)} />
          <Button type="submit" disabled={!kind}>Preview</Button>
        </Group>
      </form>
      {preview.isFetching && <Loader role="status" aria-label="Rendering the template" />}
      {preview.data && <Rendered preview={preview.data} />}
      {!shown && <Text c="dimmed">Choose a kind and a language, then Preview (Enter).</Text>}
    </Stack>
  );
}
