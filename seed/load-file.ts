// Reads a graph file in the project's own import format (see docs/import-format.md):
// JSON `{ "entities": [...], "links": [...] }`, or JSON lines with one
// `{"record": "entity" | "link", ...}` object per line.
import fs from 'node:fs';
import type { EntityInput, LinkInput } from '../core/validate.js';

export interface GraphFile {
  entities: EntityInput[];
  links: LinkInput[];
}

export function parseGraphFile(text: string, name = 'input'): GraphFile {
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{') && !name.endsWith('.jsonl')) {
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch (e) {
      throw new Error(`${name}: not valid JSON (${(e as Error).message})`, { cause: e });
    }
    const d = doc as Partial<GraphFile>;
    if (!Array.isArray(d.entities) || !Array.isArray(d.links)) {
      throw new Error(`${name}: expected an object with "entities" and "links" arrays`);
    }
    return { entities: d.entities, links: d.links };
  }
  const out: GraphFile = { entities: [], links: [] };
  text.split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    let rec: { record?: string } & Record<string, unknown>;
    try {
      rec = JSON.parse(line) as typeof rec;
    } catch (e) {
      throw new Error(`${name}: line ${i + 1} is not valid JSON (${(e as Error).message})`, { cause: e });
    }
    const { record, ...rest } = rec;
    if (record === 'entity') out.entities.push(rest as unknown as EntityInput);
    else if (record === 'link') out.links.push(rest as unknown as LinkInput);
    else throw new Error(`${name}: line ${i + 1}: "record" must be "entity" or "link"`);
  });
  return out;
}

export function readGraphFile(file: string): GraphFile {
  return parseGraphFile(fs.readFileSync(file, 'utf8'), file);
}
