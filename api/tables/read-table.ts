// Reading tables into rows: CSV/TSV (csv-parse: any delimiter, a BOM, ragged rows, quotes inside
// fields, line breaks inside quoted cells; header names trimmed), JSON arrays and JSON lines. And
// finding the files a mapping's inputs take in the files and folders given.
import fs from 'node:fs';
import path from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import type { FileInfo, Row } from './evaluate.js';
import type { InputSpec } from './mapping.js';

export interface Table { info: FileInfo; rows: Row[] }

export function fileInfo(rel: string, columns: string[] = []): FileInfo {
  const p = rel.split(path.sep).join('/');
  const name = p.slice(p.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  return { path: p, name, stem: dot > 0 ? name.slice(0, dot) : name, dir: p.includes('/') ? p.slice(0, p.lastIndexOf('/')) : '', columns };
}

export function formatOf(input: InputSpec, file: string): 'csv' | 'tsv' | 'json' | 'jsonl' {
  if (input.format) return input.format;
  const ext = path.extname(file).toLowerCase();
  if (ext === '.tsv' || ext === '.tab') return 'tsv';
  if (ext === '.json') return 'json';
  if (ext === '.jsonl' || ext === '.ndjson') return 'jsonl';
  return 'csv';
}

/** Parses a table's text. Throws with the file's name when the file is not of its format. */
export function readTable(text: string, rel: string, input: InputSpec, format = formatOf(input, rel)): Table {
  if (format === 'json') {
    let doc: unknown;
    try { doc = JSON.parse(text); } catch (e) { throw new Error(`${rel}: not JSON (${(e as Error).message})`, { cause: e }); }
    if (input.path) for (const part of input.path.split('.')) doc = (doc as Record<string, unknown> | null)?.[part];
    if (!Array.isArray(doc)) throw new Error(`${rel}: expected a JSON array${input.path ? ` at ${input.path}` : ''}`);
    const rows = doc.map((cells: unknown, i) => ({ n: i + 1, cells: (cells && typeof cells === 'object' ? cells : { value: cells }) as Record<string, unknown>, text: JSON.stringify(cells) }));
    return { info: fileInfo(rel, Object.keys(rows[0]?.cells ?? {})), rows };
  }
  if (format === 'jsonl') {
    const rows: Row[] = [];
    text.split('\n').forEach((line, i) => {
      if (!line.trim()) return;
      let cells: unknown;
      try { cells = JSON.parse(line); } catch (e) { throw new Error(`${rel}:row ${i + 1}: not JSON (${(e as Error).message})`, { cause: e }); }
      rows.push({ n: i + 1, cells: (cells && typeof cells === 'object' ? cells : { value: cells }) as Record<string, unknown>, text: line.trim() });
    });
    return { info: fileInfo(rel, Object.keys(rows[0]?.cells ?? {})), rows };
  }
  const records = parseCsv(text, {
    bom: true, delimiter: input.delimiter ?? (format === 'tsv' ? '\t' : ','), raw: true, info: true,
    relax_column_count: true, relax_quotes: true, skip_empty_lines: false,
  }) as unknown as { record: string[]; raw: string; info: { lines: number } }[];
  let header: string[] | undefined;
  const rows: Row[] = [];
  for (const { record, raw, info } of records) {
    const line = info.lines - (raw.replace(/\r?\n$/, '').match(/\n/g)?.length ?? 0);
    if (record.every((c) => c.trim() === '')) continue;
    if (!header) {
      // Stray spaces, a BOM or a trailing newline inside a header cell: "Tactic " is Tactic.
      header = record.map((h) => h.replace(/\s+/g, ' ').trim());
      continue;
    }
    const cells: Record<string, string> = {};
    header.forEach((h, i) => { if (h && !(h in cells)) cells[h] = record[i] ?? ''; });
    rows.push({ n: line, cells, text: raw.replace(/\r?\n$/, '').trim() });
  }
  return { info: fileInfo(rel, header ?? []), rows };
}

/** `**` any folders, `*` any part of a name, `?` one character; matched against the whole relative path. */
export function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*' && glob[i + 1] === '*') {
      i++;
      if (glob[i + 1] === '/') { i++; re += '(?:.*/)?'; } else re += '.*';
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`, 'i');
}

export const inputMatches = (input: InputSpec, rel: string) =>
  (Array.isArray(input.files) ? input.files : [input.files]).some((g) => globToRegExp(g).test(rel));

/** Every file under the paths given, with its path relative to the folder it was found in; sorted, so a run is repeatable. */
export function listFiles(args: string[]): { abs: string; rel: string }[] {
  const out: { abs: string; rel: string }[] = [];
  for (const arg of args) {
    if (!fs.existsSync(arg)) throw new Error(`${arg}: no such file or folder`);
    if (fs.statSync(arg).isFile()) { out.push({ abs: path.resolve(arg), rel: path.basename(arg) }); continue; }
    const walk = (dir: string) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
        const abs = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(abs);
        else if (entry.isFile()) out.push({ abs, rel: path.relative(arg, abs).split(path.sep).join('/') });
      }
    };
    walk(path.resolve(arg));
  }
  return out;
}
