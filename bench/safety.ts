// Benchmarks and synthetic loads destroy nothing by default. They run against a database of
// their own (.data/neo4j-bench, Bolt 7688, HTTP 7475, started by db/launcher like the test
// runner's) unless NEO4J_URI, NEO4J_HOME_DIR or --db names another; and before emptying a
// database they look at what it holds: anything not synthetic (an entity whose id is not one the
// generator or the bench makes, an API key, an investigation, an audit record not written by a
// synthetic load, any other node) makes them refuse unless --reset is given.
import { KIND_LABEL } from '../model/model.js';
import type { Executor } from '../api/store/executor.js';
import { boltUri, localDbConfig, neo4jTarget } from '../core/config.js';

/** The benchmark database's defaults (the user's own is .data/neo4j on 7687/7474). */
export const BENCH_DB = { NEO4J_HOME_DIR: '.data/neo4j-bench', NEO4J_BOLT_PORT: '7688', NEO4J_HTTP_PORT: '7475' } as const;

export interface BenchTarget {
  /** The environment to start the server with (localDbConfig) and connect by (neo4jSettings). */
  env: NodeJS.ProcessEnv;
  /** True when db/launcher should start (and afterwards stop) a local server. */
  local: boolean;
  /** For messages: where the data is. */
  where: string;
}

/**
 * Where a bench or synthetic load writes: NEO4J_URI as given; else the local server in `db`
 * (--db) or NEO4J_HOME_DIR, on NEO4J_BOLT_PORT/NEO4J_HTTP_PORT or the launcher's defaults; else
 * the bench's own folder and ports.
 */
export function benchTarget(env: NodeJS.ProcessEnv = process.env, db?: string): BenchTarget {
  const { uri } = neo4jTarget(env);
  if (uri !== undefined) return { env, local: false, where: uri };
  const explicit = db ?? env.NEO4J_HOME_DIR;
  const out: NodeJS.ProcessEnv = explicit ? { ...env, NEO4J_HOME_DIR: explicit } : {
    ...env, ...BENCH_DB,
    ...(env.NEO4J_BOLT_PORT ? { NEO4J_BOLT_PORT: env.NEO4J_BOLT_PORT } : {}),
    ...(env.NEO4J_HTTP_PORT ? { NEO4J_HTTP_PORT: env.NEO4J_HTTP_PORT } : {}),
  };
  const c = localDbConfig(out);
  return { env: out, local: true, where: `${c.home} (${boltUri(c)})` };
}

/** Entity id prefixes the bench makes: the generator's, and the import comparison's copies (bench/load.ts). */
export const IMPORT_PREFIXES = ['impo', 'impr', 'imps'].flatMap((p) => [0, 1].map((round) => `${p}${round}`));
export const BENCH_ID_PREFIXES = ['syn-', ...IMPORT_PREFIXES.map((p) => `${p}-`)];
/** The actors (load labels) of the audit records synthetic loads write: `synthetic-<size>-seed<n>`, `import-ours-<size>`. */
const BENCH_ACTOR = '^(synthetic-[A-Z]+-seed-?[0-9]+|import-ours-[A-Z]+)$';

const KIND_LABELS = new Set(Object.values(KIND_LABEL));

export interface Contents {
  /** Entities with a bench id prefix. */
  syntheticEntities: number;
  /** Labels (`synthetic-S-seed1` …) of the synthetic loads whose audit records are there. */
  syntheticLoads: string[];
  /** What is not synthetic, by label (Entity, ApiKey, Investigation, AuditRecord, …). */
  foreign: Record<string, number>;
  /** One non-synthetic entity id, to show in messages. */
  foreignExample: string | null;
}

async function one<T>(ex: Executor, cypher: string, params = {}): Promise<T> {
  return (await ex.read<Record<string, T>>(cypher, params))[0]?.v;
}

/** What the database holds, from the count store and the id index (no scan of the whole graph). */
export async function inspectDatabase(ex: Executor): Promise<Contents> {
  const labels = (await ex.read<{ label: string }>('CALL db.labels() YIELD label RETURN label')).map((r) => r.label);
  const foreign: Record<string, number> = {};
  let syntheticEntities = 0;
  let syntheticLoads: string[] = [];
  let foreignExample: string | null = null;
  for (const label of labels) {
    // Entities also carry their kind's label (Persona, Host …): counted once, as Entity.
    if (KIND_LABELS.has(label)) continue;
    const total = await one<number>(ex, `MATCH (n:\`${label.replaceAll('`', '``')}\`) RETURN count(n) AS v`);
    let own = 0;
    if (label === 'Entity') {
      for (const prefix of BENCH_ID_PREFIXES) own += await one<number>(ex, 'MATCH (n:Entity) WHERE n.id STARTS WITH $prefix RETURN count(n) AS v', { prefix });
      syntheticEntities = own;
      if (total > own) {
        foreignExample = await one<string>(ex, 'MATCH (n:Entity) WHERE NOT any(p IN $prefixes WHERE n.id STARTS WITH p) RETURN n.id AS v LIMIT 1',
          { prefixes: BENCH_ID_PREFIXES });
      }
    } else if (label === 'AuditRecord') {
      const rows = await ex.read<{ actor: string; n: number }>(
        'MATCH (a:AuditRecord) WHERE a.actor =~ $pattern RETURN a.actor AS actor, count(a) AS n ORDER BY actor', { pattern: BENCH_ACTOR });
      own = rows.reduce((s, r) => s + r.n, 0);
      syntheticLoads = rows.map((r) => r.actor);
    }
    if (total > own) foreign[label] = total - own;
  }
  return { syntheticEntities, syntheticLoads, foreign, foreignExample };
}

export const holdsForeign = (c: Contents): boolean => Object.keys(c.foreign).length > 0;

/** "47 entities (e.g. iran), 3 ApiKey, 12 AuditRecord" */
export function describeForeign(c: Contents): string {
  return Object.entries(c.foreign).map(([label, n]) => label === 'Entity'
    ? `${n} ${n === 1 ? 'entity' : 'entities'} not from a synthetic graph${c.foreignExample ? ` (e.g. ${JSON.stringify(c.foreignExample)})` : ''}`
    : `${n} ${label}`).join(', ');
}

/** A refusal to empty a database with data that is not synthetic: its message is one line. */
export class RefusedToEmpty extends Error {
  constructor(readonly contents: Contents, where: string, what: string) {
    super(`${what}: refusing to empty the database at ${where}: it holds ${describeForeign(contents)}. `
      + `Run against a database of its own (the default, ${BENCH_DB.NEO4J_HOME_DIR} on Bolt ${BENCH_DB.NEO4J_BOLT_PORT}: unset NEO4J_URI/NEO4J_HOME_DIR, or --db <folder>), `
      + 'or add --reset to delete everything in it.');
    this.name = 'RefusedToEmpty';
  }
}

async function deleteInBatches(ex: Executor, cypher: string, params: Record<string, unknown> = {}): Promise<void> {
  const session = ex.driver.session({ database: ex.settings.database });
  try {
    await session.run(cypher, params);
  } finally {
    await session.close();
  }
}

/** Deletes the entities with these id prefixes (and their links). */
export async function deleteByPrefix(ex: Executor, prefixes: string[]): Promise<void> {
  await deleteInBatches(ex, `MATCH (n:Entity) WHERE any(p IN $prefixes WHERE n.id STARTS WITH p)
    CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS`, { prefixes });
}

/** Deletes what synthetic loads and the bench wrote — their entities and audit records — and nothing else. */
export async function emptySynthetic(ex: Executor): Promise<void> {
  await deleteByPrefix(ex, BENCH_ID_PREFIXES);
  await deleteInBatches(ex, `MATCH (a:AuditRecord) WHERE a.actor =~ $pattern
    CALL (a) { DETACH DELETE a } IN TRANSACTIONS OF 5000 ROWS`, { pattern: BENCH_ACTOR });
}

/** --reset: deletes every node (entities, keys, investigations, audit trail); the schema stays. */
export async function emptyAll(ex: Executor): Promise<void> {
  await deleteInBatches(ex, 'MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS');
}

/**
 * Makes the database free for a synthetic load: with `reset` empties it; else refuses if it holds
 * anything not synthetic, and otherwise (only synthetic data, or nothing) deletes the synthetic
 * data when `dropSynthetic` says so.
 */
export async function prepareForSynthetic(ex: Executor, opts: { reset: boolean; where: string; what: string; dropSynthetic: (c: Contents) => boolean }): Promise<Contents> {
  if (opts.reset) {
    await emptyAll(ex);
    return inspectDatabase(ex);
  }
  const contents = await inspectDatabase(ex);
  if (holdsForeign(contents)) throw new RefusedToEmpty(contents, opts.where, opts.what);
  if (opts.dropSynthetic(contents)) await emptySynthetic(ex);
  return contents;
}
