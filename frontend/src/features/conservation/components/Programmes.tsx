import { Loader, Table } from "@mantine/core";

import { useProgrammes } from "../api/queries";
import { kinds, terms } from "../labels";

/** The programmes on offer (configured by the district), with their amounts and limits. */
export function Programmes() {
  const list = useProgrammes();
  if (list.isLoading) return <Loader role="status" aria-label="Loading programmes" />;
  return (
    <Table striped aria-label="Rebate programmes">
      <Table.Thead>
        <Table.Tr><Table.Th>Programme</Table.Th><Table.Th>Pays</Table.Th>
          <Table.Th>Premises</Table.Th></Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {(list.data ?? []).map((p) => (
          <Table.Tr key={p.key}>
            <Table.Td>{p.name}</Table.Td><Table.Td>{terms(p)}</Table.Td>
            <Table.Td>{kinds(p)}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
