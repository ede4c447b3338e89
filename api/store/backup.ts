// Logical backup and restore through Bolt, so it works the same on the local server, a remote
// one or Aura (Community's own dump needs the database offline).
// The commands are cli/backup.ts (npm run db:backup / db:restore).
// The file is gzipped JSON lines: a header, then {"n":seq,"labels":[…],"props":{…}} per node and
// {"r":type,"s":seq,"e":seq,"props":{…}} per relationship.
import fs from 'node:fs';
import readline from 'node:readline';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import zlib from 'node:zlib';
import neo4j, { type Driver, type Integer } from 'neo4j-driver';
import path from 'node:path';
import { KIND_LABEL, LINK_TYPE_NAMES } from '../../model/model.js';
import { toCypherParams } from './executor.js';

/** Labels and types a backup may carry: the schema's, plus the API's own bookkeeping nodes. */
export const RESTORABLE_LABELS = new Set([
  'Entity', ...Object.values(KIND_LABEL), 'ApiKey', 'Investigation', 'Note', 'AuditRecord', 'StixRaw',
  'MergeRecord', 'Judgement', 'SavedCluster', 'Draft', 'SourceText',
]);
const RESTORABLE_TYPES = new Set<string>(LINK_TYPE_NAMES);
const BATCH = 5000;

export interface BackupSummary { nodes: number; relationships: number; file: string; seconds: number }

export async function backup(driver: Driver, database: string, file: string): Promise<BackupSummary> {
  const t0 = Date.now();
  const seq = new Map<string, number>();
  let nodes = 0;
  let relationships = 0;
  const session = driver.session({ database, defaultAccessMode: neo4j.session.READ });
  async function* lines(): AsyncGenerator<string> {
    yield JSON.stringify({ format: 'disinfo-graph-backup/1', createdAt: new Date().toISOString() }) + '\n';
    for await (const rec of session.run<{ id: string; labels: string[]; props: Record<string, unknown> }>('MATCH (n) RETURN elementId(n) AS id, labels(n) AS labels, properties(n) AS props')) {
      seq.set(rec.get('id'), nodes);
      yield JSON.stringify({ n: nodes++, labels: rec.get('labels'), props: plain(rec.get('props')) }) + '\n';
    }
    for await (const rec of session.run<{ type: string; s: string; e: string; props: Record<string, unknown> }>('MATCH (a)-[r]->(b) RETURN type(r) AS type, elementId(a) AS s, elementId(b) AS e, properties(r) AS props')) {
      relationships++;
      yield JSON.stringify({ r: rec.get('type'), s: seq.get(rec.get('s')), e: seq.get(rec.get('e')), props: plain(rec.get('props')) }) + '\n';
    }
  }
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    await pipeline(Readable.from(lines()), zlib.createGzip(), fs.createWriteStream(file));
  } finally {
    await session.close();
  }
  return { nodes, relationships, file, seconds: (Date.now() - t0) / 1000 };
}

/** Neo4j integers and temporals become JSON numbers and strings. */
function plain(props: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(props).map(([k, v]) => [k, neo4j.isInt(v) ? (v as { toNumber(): number }).toNumber() : v && typeof v === 'object' && !Array.isArray(v) ? String(v as { toString(): string }) : v]));
}

export async function restore(driver: Driver, database: string, file: string, force = false): Promise<BackupSummary> {
  const t0 = Date.now();
  const session = driver.session({ database });
  try {
    const count = (await session.run<{ c: Integer | number }>('MATCH (n) RETURN count(n) AS c')).records[0].get('c');
    const existing = neo4j.isInt(count) ? count.toNumber() : Number(count);
    if (existing > 0 && !force) throw new Error(`the database holds ${existing} nodes; restore into an empty one, or pass --force to replace them`);
    if (existing > 0) await session.run('MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS');
    await session.run('CREATE INDEX restore_seq IF NOT EXISTS FOR (n:_Restore) ON (n._seq)');
    await session.run('CALL db.awaitIndexes(60)');
    let nodes: unknown[] = [];
    let rels: unknown[] = [];
    let nodeCount = 0;
    let relCount = 0;
    let lineNo = 0;
    const flushNodes = async () => {
      if (!nodes.length) return;
      await session.executeWrite((tx) => tx.run(
        'UNWIND $rows AS row CREATE (n:_Restore) SET n = row.props, n._seq = row.n, n:$(row.labels)', toCypherParams({ rows: nodes }) as Record<string, unknown>));
      nodes = [];
    };
    const flushRels = async () => {
      if (!rels.length) return;
      await session.executeWrite((tx) => tx.run(
        `UNWIND $rows AS row MATCH (a:_Restore {_seq: row.s}) MATCH (b:_Restore {_seq: row.e})
         CREATE (a)-[r:$(row.r)]->(b) SET r = row.props`, toCypherParams({ rows: rels }) as Record<string, unknown>));
      rels = [];
    };
    const input = fs.createReadStream(file).pipe(zlib.createGunzip());
    for await (const line of readline.createInterface({ input, crlfDelay: Infinity })) {
      lineNo++;
      if (!line.trim() || lineNo === 1) continue;
      const rec = JSON.parse(line) as { n?: number; labels?: string[]; r?: string; props: Record<string, unknown> };
      if (rec.labels) {
        const bad = rec.labels.find((l) => !RESTORABLE_LABELS.has(l));
        if (bad) throw new Error(`${file} line ${lineNo}: label ${JSON.stringify(bad)} is not one of the schema's`);
        nodes.push(rec);
        nodeCount++;
        if (nodes.length >= BATCH) await flushNodes();
      } else {
        if (!RESTORABLE_TYPES.has(rec.r ?? '')) throw new Error(`${file} line ${lineNo}: relationship type ${JSON.stringify(rec.r)} is not one of the schema's`);
        await flushNodes();
        rels.push(rec);
        relCount++;
        if (rels.length >= BATCH) await flushRels();
      }
    }
    await flushNodes();
    await flushRels();
    await session.run('MATCH (n:_Restore) CALL (n) { REMOVE n:_Restore, n._seq } IN TRANSACTIONS OF 10000 ROWS');
    return { nodes: nodeCount, relationships: relCount, file, seconds: (Date.now() - t0) / 1000 };
  } finally {
    await session.close();
  }
}
