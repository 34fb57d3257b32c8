import { Button, Card, FileInput, Group, Progress, SegmentedControl, Stack, Table, Text,
  Title } from "@mantine/core";
import { useState, type FormEvent } from "react";

import { useIdempotencyKey } from "@/hooks/useIdempotencyKey";

import { useImportReads, type ImportResult, type ReadFileKind } from "../api/reads";
import { importSummary } from "../importSummary";
import { Notice } from "./Notice";

/** Upload a route (handheld) or AMI file; progress while it goes, then what became of it. */
export function ImportReads() {
  const [kind, setKind] = useState<ReadFileKind>("handheld");
  const [file, setFile] = useState<File | null>(null);
  const [key, renew] = useIdempotencyKey();
  const upload = useImportReads();
  const [result, setResult] = useState<ImportResult | null>(null);

  function submit(event: FormEvent) {
    event.preventDefault();
    if (!file) return;
    setResult(null);
    upload.mutate({ kind, file, key }, {
      onSuccess: (r) => {
        setResult(r);
        setFile(null);
        renew();
      },
    });
  }

  const uploading = upload.isPending && upload.progress < 1;
  return (
    <Stack>
      <Card withBorder component="form" onSubmit={submit} aria-label="Import reads">
        <Title order={2} size="h4" mb="xs">Import a read file</Title>
        <Text size="sm" c="gray.7" mb="sm">
          Route files: <code>meter_serial,read_date,reading</code>. AMI files:{" "}
          <code>meter_serial,interval_start,usage[,register]</code>. The same file imported twice
          changes nothing.
        </Text>
        <Stack gap="sm">
          <SegmentedControl value={kind} onChange={(v) => setKind(v as ReadFileKind)}
            aria-label="File kind"
            data={[{ value: "handheld", label: "Route (handheld)" },
              { value: "ami", label: "AMI intervals" }]} w="fit-content" />
          <Group align="flex-end">
            <FileInput label="Read file" accept=".csv,text/csv"
              value={file} onChange={setFile} clearable required w={320} />
            <Button type="submit" disabled={!file} loading={upload.isPending}>Import</Button>
          </Group>
          {upload.isPending && (
            <Stack gap={4} aria-live="polite">
              <Progress value={uploading ? Math.round(upload.progress * 100) : 100}
                striped animated={!uploading} aria-label="Import progress" />
              <Text size="sm">{uploading
                ? `Uploading… ${Math.round(upload.progress * 100)} %`
                : "Validating the reads…"}</Text>
            </Stack>
          )}
        </Stack>
      </Card>
      {result && <ImportOutcome result={result} />}
    </Stack>
  );
}

export function ImportOutcome({ result }: { result: ImportResult }) {
  const summary = importSummary(result);
  return (
    <Notice color={summary.color} title="Import finished">
      <Text>{summary.text}</Text>
      {result.errors.length > 0 && (
        <Table mt="sm" aria-label="Rejected lines">
          <Table.Thead>
            <Table.Tr><Table.Th>Line</Table.Th><Table.Th>Why</Table.Th></Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {result.errors.slice(0, 200).map((e) => (
              <Table.Tr key={`${e.line}-${e.message}`}>
                <Table.Td>{e.line}</Table.Td><Table.Td>{e.message}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Notice>
  );
}
