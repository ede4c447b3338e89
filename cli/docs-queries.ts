// npm run docs:queries — runs every example query against the seed graph (in the test
// database started by test/run.ts, or NEO4J_URI) and writes docs/queries.md with the answers.
// Everything after the HAND_WRITTEN marker (questions on corpora the seed does not hold) is kept.
import fs from 'node:fs';
import path from 'node:path';
import { EXAMPLE_QUERIES } from '../api/graphql/example-queries.js';
import { projectRoot } from '../db/launcher.js';
import { createApp, gql, seededExecutor } from '../test/helpers.js';

const MAX_LINES = 45;
const HAND_WRITTEN = '<!-- Hand-written from here on: npm run docs:queries keeps it as it is. -->';

/** JSON with every value that fits in 110 characters on one line: answers stay readable. */
function compact(value: unknown, indent = ''): string {
  const flat = JSON.stringify(value);
  if (flat.length + indent.length <= 110 || value === null || typeof value !== 'object') return flat;
  const inner = indent + '  ';
  if (Array.isArray(value)) return `[\n${value.map((v) => inner + compact(v, inner)).join(',\n')}\n${indent}]`;
  const entries = Object.entries(value as Record<string, unknown>).map(([k, v]) => `${inner}${JSON.stringify(k)}: ${compact(v, inner)}`);
  return `{\n${entries.join(',\n')}\n${indent}}`;
}

async function main(): Promise<void> {
  const ex = await seededExecutor();
  const app = createApp({ executor: ex });
  const parts = [
    '# Analyst questions as GraphQL queries',
    '',
    'Each question researchers ask daily is one query. The answers below were produced by running the',
    'queries against the seed graph (`npm run docs:queries` regenerates this file). GraphiQL at',
    '`/graphql` opens with the same queries as tabs. Long answers are cut, marked with `…`.',
    '',
  ];
  for (const q of EXAMPLE_QUERIES) {
    const r = await gql(app, q.query);
    if (r.errors) throw new Error(`${q.title}: ${JSON.stringify(r.errors)}`);
    let answer = compact(r.data).split('\n');
    if (answer.length > MAX_LINES) answer = [...answer.slice(0, MAX_LINES), '…'];
    parts.push(`## ${q.title}`, '', `*${q.question}*`, '', '```graphql', q.query, '```', '', 'Answer on the seed graph:', '', '```json', ...answer, '```', '');
  }
  const file = path.join(projectRoot, 'docs', 'queries.md');
  const old = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  const kept = old.includes(HAND_WRITTEN) ? old.slice(old.indexOf(HAND_WRITTEN)) : '';
  fs.writeFileSync(file, parts.join('\n') + (kept ? `\n${kept}` : ''));
  await ex.close();
  console.log(`docs: wrote docs/queries.md with ${EXAMPLE_QUERIES.length} queries and their answers`);
}

main().catch((e: Error) => { console.error(e.message); process.exit(1); });
