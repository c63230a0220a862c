import { isAlias, isMap, isScalar, isSeq, parseDocument, type Document } from "yaml";

/**
 * A parsed YAML value that keeps each scalar's source text. The appspec needs what the author
 * WROTE, not what YAML made of it: `mode: 0644` must stay "0644" (YAML reads it as a number) and an
 * error about `version: 1.0` should quote "1.0", not "1".
 */
export type YamlTree =
  | { kind: "scalar"; value: unknown; text: string }
  | { kind: "map"; entries: Map<string, YamlTree> }
  | { kind: "seq"; items: YamlTree[] };

export type YamlParseResult =
  | { ok: true; tree: YamlTree | null }
  | { ok: false; problem: string };

const MAX_DEPTH = 64;

/**
 * Parses with the YAML 1.1 schema, the one Ruby's Psych (and so the CodeDeploy agent) uses:
 * `sudo: yes` is true there, and existing appspecs rely on it. Anchors, aliases and `<<` merge keys
 * are resolved. Returns null for an empty document (only comments, whitespace or a bare null).
 */
export function parseYamlTree(text: string): YamlParseResult {
  const doc = parseDocument(text, { version: "1.1", prettyErrors: true });
  const first = doc.errors[0];
  if (first) return { ok: false, problem: first.message.split("\n")[0].replace(/:$/, "") };
  try {
    const tree = convert(doc, doc.contents, 0);
    if (tree.kind === "scalar" && tree.value === null) return { ok: true, tree: null };
    return { ok: true, tree };
  } catch (err) {
    return { ok: false, problem: err instanceof Error ? err.message : String(err) };
  }
}

function convert(doc: Document, node: unknown, depth: number): YamlTree {
  if (depth > MAX_DEPTH) throw new Error("the document is nested too deeply (recursive alias?)");
  if (isAlias(node)) return convert(doc, node.resolve(doc), depth + 1);
  if (isScalar(node)) return scalar(node.value, node.source);
  if (isSeq(node)) return { kind: "seq", items: node.items.map((i) => convert(doc, i, depth + 1)) };
  if (isMap(node)) {
    const merged = new Map<string, YamlTree>();
    const own = new Map<string, YamlTree>();
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? pair.key.value : undefined;
      const value = convert(doc, pair.value, depth + 1);
      if (typeof key === "symbol") {
        // `<<: *base` (or a list of them): explicit keys win, earlier merges beat later ones.
        const sources = value.kind === "seq" ? value.items : [value];
        for (const src of sources) {
          if (src.kind !== "map") continue;
          for (const [k, v] of src.entries) if (!merged.has(k)) merged.set(k, v);
        }
      } else if (key !== undefined && key !== null) {
        own.set(String(key), value);
      }
    }
    return { kind: "map", entries: new Map([...merged, ...own]) };
  }
  return scalar(null, "");
}

function scalar(value: unknown, source: string | undefined): YamlTree {
  const text = typeof value === "string" ? value : (source ?? (value === null ? "" : String(value)));
  return { kind: "scalar", value, text };
}

/** True for a missing key or an explicit null (`key:` or `key: ~`). */
export function isAbsent(node: YamlTree | undefined): node is undefined {
  return node === undefined || (node.kind === "scalar" && node.value === null);
}

/** The text of a scalar as written, or undefined for a null, a map or a list. */
export function scalarText(node: YamlTree | undefined): string | undefined {
  if (isAbsent(node) || node.kind !== "scalar") return undefined;
  return node.text;
}

/** How a node reads in an error message. */
export function describe(node: YamlTree | undefined): string {
  if (node === undefined) return "";
  if (node.kind === "scalar") return node.text;
  return node.kind === "map" ? "a mapping" : "a list";
}
