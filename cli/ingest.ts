// npm run ingest -- <file.md|.txt|.html> [--title T] [--url U] [--publisher P] [--author A]
//   [--published YYYY-MM-DD] [--language en|ar …] [--tlp CLEAR|GREEN|AMBER|RED] [--key K] [--json]
//   Stores the report as a SOURCE with its paragraphs and a draft of what it names (docs/ingest.md);
//   the draft is reviewed with reviewDraft (GraphQL). Runs as the local operator (clearance RED)
//   unless given --key (or DISINFO_API_KEY), an analyst key: the draft then belongs to that key.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { cliApiKey, neo4jSettings } from '../core/config.js';
import { ApiError } from '../core/errors.js';
import { ingestReport } from '../api/ingest/ingest.js';
import type { DraftContent } from '../api/ingest/ingest.js';
import type { DraftViewer } from '../api/store/drafts.js';
import { Executor } from '../api/store/executor.js';
import { findActiveKey } from '../api/store/keys.js';
import { migrate } from '../api/store/migrations.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    title: { type: 'string' }, url: { type: 'string' }, publisher: { type: 'string' }, author: { type: 'string' },
    published: { type: 'string' }, language: { type: 'string' }, tlp: { type: 'string' }, key: { type: 'string' },
    json: { type: 'boolean', default: false },
  },
});

async function viewer(ex: Executor, key: string | undefined): Promise<DraftViewer> {
  if (!key) return { keyId: null, admin: true, clearance: 'RED', actor: 'ingest', name: 'ingest (local operator)' };
  const record = await findActiveKey(ex, key);
  if (!record) throw new Error('--key: unknown or revoked API key');
  if (record.role === 'READER') throw new Error('--key: the key\'s role READER cannot ingest; it needs ANALYST');
  return { keyId: record.id, admin: record.role === 'ADMIN', clearance: record.clearance, actor: `${record.name} [key ${record.id}]`, name: record.name };
}

async function main(): Promise<void> {
  const file = positionals[0];
  if (!file) throw new Error('usage: npm run ingest -- <file.md|.txt|.html> [--title T] [--url U] [--publisher P] [--language L] [--tlp T]');
  const raw = fs.readFileSync(file, 'utf8');
  const html = /\.html?$/i.test(file);
  const title = values.title ?? (html ? undefined : /^#\s+(.+)$/m.exec(raw)?.[1]?.trim()) ?? path.basename(file).replace(/\.[^.]+$/, '');
  const ex = new Executor(neo4jSettings());
  try {
    await migrate(ex);
    const v = await viewer(ex, values.key ?? cliApiKey());
    const started = Date.now();
    const draft = await ingestReport(ex, {
      title, url: values.url ?? null, publisher: values.publisher ?? null, author: values.author ?? null,
      published: values.published ?? null, language: values.language ?? null, tlp: values.tlp ?? null,
      ...(html ? { html: raw } : { text: raw }),
    }, v);
    const c = draft.content as DraftContent;
    if (values.json) console.log(JSON.stringify({ ...draft, content: undefined, ...c }, null, 2));
    else {
      for (const e of c.entities) console.log(`${e.key}\t${e.match}\t${e.kind}\t${e.name}${e.entityId ? ` (${e.entityId})` : ''}\t${e.mentions.map((m) => m.locator).join(',')}`);
      for (const l of c.links) console.log(`${l.key}\t${l.type}${l.assertion === 'NEGATED' ? ' (NEGATED)' : ''}\t${l.from} → ${l.to}\t${l.confidence}\t${l.evidence.map((x) => x.locator).join(',')}`);
    }
    const obs = c.entities.filter((e) => e.why.includes('found by pattern')).length;
    console.error(`ingest: ${file} → source ${draft.sourceId}, ${c.paragraphs.length} paragraphs; draft ${draft.id}: ` +
      `${c.entities.filter((e) => e.match === 'EXISTING').length} known entities, ${c.entities.filter((e) => e.match === 'NEW').length} new (${obs} observables), ` +
      `${c.links.length} links proposed, in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  } finally {
    await ex.close();
  }
}

main().catch((e: unknown) => {
  console.error(`ingest: ${e instanceof ApiError || e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
