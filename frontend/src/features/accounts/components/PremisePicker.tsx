import { Badge, Combobox, Group, Loader, Text, TextInput, useCombobox } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { useState } from "react";

import { usePremiseSearch, type SearchHit } from "../api/service";

/**
 * A premise by address, APN or meter serial, each hit marked vacant or occupied. Arrows and
 * Enter pick; the picked premise shows under the box.
 */
export function PremisePicker({ label, value, onChange, required }: {
  label: string; value: SearchHit | null; onChange: (hit: SearchHit | null) => void;
  required?: boolean;
}) {
  const [text, setText] = useState("");
  const [debounced] = useDebouncedValue(text, 150);
  const search = usePremiseSearch(debounced);
  const combobox = useCombobox({ onDropdownClose: () => combobox.resetSelectedOption() });
  const hits = debounced.trim().length >= 2 ? (search.data ?? []) : [];

  function pick(id: string) {
    const hit = hits.find((h) => h.id === id);
    if (!hit) return;
    onChange(hit);
    setText(hit.title);
    combobox.closeDropdown();
  }

  return (
    <div>
      <Combobox store={combobox} onOptionSubmit={pick} withinPortal>
        <Combobox.Target>
          <TextInput label={label} required={required} value={text}
            placeholder="Address, APN or meter serial" autoComplete="off"
            rightSection={search.isFetching ? <Loader size={14} /> : null}
            onChange={(e) => {
              setText(e.currentTarget.value);
              if (value) onChange(null);
              combobox.openDropdown();
              combobox.updateSelectedOptionIndex();
            }}
            onFocus={() => combobox.openDropdown()}
            onBlur={() => combobox.closeDropdown()}
            onKeyDown={(e) => {
              // Enter picks the first hit when none is highlighted; with a premise picked it
              // submits the form as usual.
              if (e.key === "Enter" && !value && combobox.getSelectedOptionIndex() < 0
                  && hits[0]) {
                e.preventDefault();
                pick(hits[0].id);
              }
            }} />
        </Combobox.Target>
        <Combobox.Dropdown hidden={debounced.trim().length < 2 || !!value}>
          <Combobox.Options aria-label={`${label} results`}>
            {hits.length === 0 && !search.isFetching && (
              <Combobox.Empty>No premise matches “{debounced.trim()}”</Combobox.Empty>
            )}
            {hits.map((hit) => (
              <Combobox.Option value={hit.id} key={hit.id}>
                <Group justify="space-between" wrap="nowrap">
                  <div>
                    <Text size="sm" fw={500}>{hit.title}</Text>
                    <Text size="xs" c="dimmed">{hit.subtitle}</Text>
                  </div>
                  <Badge variant="light" color={hit.status === "vacant" ? "green" : "gray"}>
                    {hit.status}
                  </Badge>
                </Group>
              </Combobox.Option>
            ))}
          </Combobox.Options>
        </Combobox.Dropdown>
      </Combobox>
      {value && (
        <Text size="xs" mt={4} data-testid="picked-premise">
          {value.title} · {value.subtitle} · <b>{value.status}</b>
        </Text>
      )}
    </div>
  );
}
