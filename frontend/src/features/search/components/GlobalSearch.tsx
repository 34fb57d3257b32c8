import { Combobox, Group, Loader, Text, TextInput, useCombobox } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { useRef, useState } from "react";

import { useSlashFocus } from "@/hooks/useSlashFocus";

import { useSearch, type SearchHit } from "../api/useSearch";

/**
 * The header's search box: `/` focuses it, results appear as you type, arrows and Enter pick one.
 * Picking a hit hands it to `onPick` (the app decides where it leads).
 */
export function GlobalSearch({ onPick }: { onPick: (hit: SearchHit) => void }) {
  const ref = useRef<HTMLInputElement>(null);
  useSlashFocus(ref);
  const [value, setValue] = useState("");
  const [debounced] = useDebouncedValue(value, 150);
  const search = useSearch(debounced);
  const combobox = useCombobox({ onDropdownClose: () => combobox.resetSelectedOption() });
  const hits = debounced.trim().length >= 2 ? (search.data ?? []) : [];

  function pick(id: string) {
    const hit = hits.find((h) => `${h.entity}:${h.id}` === id);
    if (!hit) return;
    onPick(hit);
    setValue("");
    combobox.closeDropdown();
    ref.current?.blur();
  }

  return (
    <Combobox store={combobox} onOptionSubmit={pick} withinPortal>
      <Combobox.Target>
        <TextInput
          ref={ref}
          w={{ base: 220, md: 420 }}
          placeholder="Search accounts  ( / )"
          aria-label="Search accounts by name, address, account number, phone, meter or APN"
          value={value}
          rightSection={search.isFetching ? <Loader size={14} /> : null}
          onChange={(e) => {
            setValue(e.currentTarget.value);
            combobox.openDropdown();
            combobox.updateSelectedOptionIndex();
          }}
          onFocus={() => combobox.openDropdown()}
          onBlur={() => combobox.closeDropdown()}
          onKeyDown={(e) => {
            if (e.key === "Escape") ref.current?.blur();
            if (e.key === "Enter" && combobox.getSelectedOptionIndex() < 0 && hits[0]) {
              e.preventDefault();
              pick(`${hits[0].entity}:${hits[0].id}`);
            }
          }}
        />
      </Combobox.Target>
      <Combobox.Dropdown hidden={debounced.trim().length < 2}>
        <Combobox.Options aria-label="Search results">
          {hits.length === 0 && !search.isFetching && (
            <Combobox.Empty>No account matches “{debounced.trim()}”</Combobox.Empty>
          )}
          {hits.map((hit) => (
            <Combobox.Option value={`${hit.entity}:${hit.id}`} key={`${hit.entity}:${hit.id}`}>
              <Group justify="space-between" wrap="nowrap">
                <div>
                  <Text size="sm" fw={500}>{hit.title}</Text>
                  <Text size="xs" c="dimmed">{hit.subtitle}</Text>
                </div>
                <Text size="xs" c="dimmed" ff="monospace">
                  {hit.account_number ?? hit.entity}
                </Text>
              </Group>
            </Combobox.Option>
          ))}
        </Combobox.Options>
      </Combobox.Dropdown>
    </Combobox>
  );
}
