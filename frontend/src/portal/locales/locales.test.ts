import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

import { describe, expect, it } from "vitest";

import { en } from "./en";
import { es } from "./es";

function keys(obj: object, prefix = ""): string[] {
  return Object.entries(obj).flatMap(([k, v]) =>
    typeof v === "string" ? [prefix + k] : keys(v as object, `${prefix}${k}.`));
}

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.tsx?$/.test(name) && !name.includes(".test.") ? [path] : [];
  });
}

describe("the portal's languages", () => {
  it("say the same things in English and Spanish", () => {
    expect(keys(es).sort()).toEqual(keys(en).sort());
  });

  it("have every fixed key the pages ask for", () => {
    const known = new Set(keys(en));
    const used = sources(join(__dirname, "..")).flatMap((file) =>
      [...readFileSync(file, "utf8").matchAll(/\bt\(\s*"([a-zA-Z.]+)"/g)].map((m) => m[1]!));
    expect(used.length).toBeGreaterThan(100);
    expect(used.filter((k) => !known.has(k))).toEqual([]);
  });

  it("keep the placeholders of each message", () => {
    const en_ = Object.fromEntries(keys(en).map((k) => [k, k.split(".").reduce<unknown>(
      (o, p) => (o as Record<string, unknown>)[p], en) as string]));
    for (const k of keys(es)) {
      const esText = k.split(".").reduce<unknown>((o, p) => (o as Record<string, unknown>)[p], es) as string;
      const names = (s: string) => [...s.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
      expect([k, names(esText)]).toEqual([k, names(en_[k]!)]);
    }
  });
});
