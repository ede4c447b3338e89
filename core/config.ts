// Every environment variable the API, the local Neo4j launcher (db/launcher.ts) and the command-line
// tools read is read here, and checked: integers in range, sizes and durations in Neo4j's syntax,
// URIs with a Bolt scheme, known words. Nothing is read when a module is imported; programs call
// these functions when they start (`loadConfig` reads them all), and a bad value stops them with
// one line naming the variable, the value and what is expected:
//   config: PORT="abc" must be an integer from 0 to 65535 (0: any free port)
// An unset or empty variable takes its default.
//
// Where the API finds Neo4j: NEO4J_URI/NEO4J_USER/NEO4J_PASSWORD/NEO4J_DATABASE when set, else the
// local server that db/ starts (password read from its 0600 file).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** A token bucket: sustained requests per second and the burst allowed above it. */
export interface Rate {
  perSecond: number;
  burst: number;
}

export interface RateLimit extends Rate {
  /** Callers without a verified key, per client address. Default: the keyed rate above. */
  anonymous?: Rate;
  /** How many proxies in front of the API append to X-Forwarded-For (0: never read it). Default 0. */
  trustProxy?: number;
  /** The most buckets kept in memory. Default 10,000. */
  maxBuckets?: number;
}

export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

type Env = NodeJS.ProcessEnv;

/** A bad environment variable; the message is the one line to print. */
export class ConfigError extends Error {
  constructor(readonly variable: string, readonly value: string, expected: string) {
    super(`config: ${variable}=${JSON.stringify(value)} must be ${expected}`);
    this.name = 'ConfigError';
  }
}

function read(env: Env, name: string): string | undefined {
  const v = env[name];
  return v === undefined || v.trim() === '' ? undefined : v;
}

function integer(env: Env, name: string, fallback: number, min: number, max: number, note = ''): number {
  const v = read(env, name);
  if (v === undefined) return fallback;
  const n = /^\s*-?\d+\s*$/.test(v) ? Number(v) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) throw new ConfigError(name, v, `an integer from ${min} to ${max}${note}`);
  return n;
}

function positiveNumber(env: Env, name: string, fallback: number): number {
  const v = read(env, name);
  if (v === undefined) return fallback;
  const n = /^\s*\d*\.?\d+\s*$/.test(v) ? Number(v) : NaN;
  if (!Number.isFinite(n) || n <= 0) throw new ConfigError(name, v, 'a positive number');
  return n;
}

function matching(env: Env, name: string, fallback: string, pattern: RegExp, expected: string): string {
  const v = read(env, name);
  if (v === undefined) return fallback;
  if (!pattern.test(v)) throw new ConfigError(name, v, expected);
  return v;
}

function optionalMatching(env: Env, name: string, pattern: RegExp, expected: string): string | undefined {
  const v = read(env, name);
  if (v !== undefined && !pattern.test(v)) throw new ConfigError(name, v, expected);
  return v;
}

const NO_SPACE = /^\S+$/;
/** A memory size as java -Xmx and Neo4j read it: 4g, 512m, 1024k, 1073741824. */
const MEMORY = /^[1-9]\d*[kKmMgG]?$/;
/** A Neo4j duration: 60s, 500ms, 2m, 1h; 0 for none. */
const DURATION = /^\d+(ms|s|m|h|d)?$/;
const BOLT_URI = /^(bolt|neo4j)(\+s|\+ssc)?:\/\/[^\s/]+/;

// --- the local Neo4j server (db/launcher.ts) ---

export interface LocalDbConfig {
  home: string;
  boltPort: number;
  httpPort: number;
  heap: string;
  pagecache: string;
  txTimeout: string;
}

/** NEO4J_HOME_DIR (.data/neo4j), NEO4J_BOLT_PORT (7687), NEO4J_HTTP_PORT (7474), NEO4J_HEAP (4g), NEO4J_PAGECACHE (4g), NEO4J_TX_TIMEOUT (60s). */
export function localDbConfig(env: Env = process.env): LocalDbConfig {
  return {
    home: path.resolve(projectRoot, read(env, 'NEO4J_HOME_DIR') ?? '.data/neo4j'),
    boltPort: integer(env, 'NEO4J_BOLT_PORT', 7687, 1, 65535),
    httpPort: integer(env, 'NEO4J_HTTP_PORT', 7474, 1, 65535),
    heap: matching(env, 'NEO4J_HEAP', '4g', MEMORY, 'a memory size such as 4g or 512m'),
    pagecache: matching(env, 'NEO4J_PAGECACHE', '4g', MEMORY, 'a memory size such as 4g or 512m'),
    txTimeout: matching(env, 'NEO4J_TX_TIMEOUT', '60s', DURATION, 'a duration such as 60s, 500ms or 2m (0: none)'),
  };
}

export const passwordFile = (c: LocalDbConfig) => path.join(c.home, 'password');
export const boltUri = (c: LocalDbConfig) => `bolt://127.0.0.1:${c.boltPort}`;

/** The password the launcher generated on the local server's first start, if it has started. */
export function readLocalPassword(c: LocalDbConfig = localDbConfig()): string | undefined {
  try {
    return fs.readFileSync(passwordFile(c), 'utf8').trim();
  } catch {
    return undefined;
  }
}

// --- where the API and the tools find Neo4j ---

/** The NEO4J_* connection variables as given (unset: the local server). */
export interface Neo4jTarget {
  uri?: string;
  user: string;
  password?: string;
  database: string;
}

export function neo4jTarget(env: Env = process.env): Neo4jTarget {
  return {
    uri: optionalMatching(env, 'NEO4J_URI', BOLT_URI, 'a Bolt URI such as bolt://host:7687 or neo4j+s://host (schemes bolt, neo4j, with +s or +ssc)'),
    user: matching(env, 'NEO4J_USER', 'neo4j', NO_SPACE, 'a user name without spaces'),
    // A password is taken as given (an empty one too).
    password: env.NEO4J_PASSWORD,
    database: matching(env, 'NEO4J_DATABASE', 'neo4j', NO_SPACE, 'a database name without spaces'),
  };
}

export interface Neo4jSettings {
  uri: string;
  user: string;
  password: string;
  database: string;
  /** True when we are the ones who should start (and stop) the local server. */
  local: boolean;
}

/**
 * How to connect: the target, or the local server when NEO4J_URI is unset. The local password is
 * read from its file now, so call this after the local server has started (it writes the file
 * on its first start).
 */
export function connectionSettings(target: Neo4jTarget, localDb: LocalDbConfig): Neo4jSettings {
  const local = target.uri === undefined;
  return {
    uri: target.uri ?? boltUri(localDb),
    user: target.user,
    password: target.password ?? (local ? readLocalPassword(localDb) ?? '' : ''),
    database: target.database,
    local,
  };
}

export function neo4jSettings(env: Env = process.env): Neo4jSettings {
  return connectionSettings(neo4jTarget(env), localDbConfig(env));
}

// --- the HTTP server ---

export interface ServerSettings {
  host: string;
  port: number;
  queryTimeoutMs: number;
  /** The time budget of a query that can stop early and answer with what it found (docs/queries.md, "Limits and budgets"). */
  queryBudgetMs: number;
  /** The most a request's `budgetMs` argument may ask for; a larger ask is capped to it. */
  queryBudgetMaxMs: number;
}

/**
 * HOST (127.0.0.1), PORT (4000), QUERY_TIMEOUT_MS (15000), QUERY_BUDGET_MS (5000, at most the
 * timeout), QUERY_BUDGET_MAX_MS (the timeout; from QUERY_BUDGET_MS to QUERY_TIMEOUT_MS).
 */
export function serverSettings(env: Env = process.env): ServerSettings {
  const queryTimeoutMs = integer(env, 'QUERY_TIMEOUT_MS', 15_000, 1, 3_600_000, ' (milliseconds)');
  // A budget past the timeout would never be reached: the query would fail first.
  const queryBudgetMs = integer(env, 'QUERY_BUDGET_MS', Math.min(5_000, queryTimeoutMs), 1, queryTimeoutMs, ' (milliseconds, at most QUERY_TIMEOUT_MS)');
  return {
    host: matching(env, 'HOST', '127.0.0.1', NO_SPACE, 'a host name or address without spaces'),
    port: integer(env, 'PORT', 4000, 0, 65535, ' (0: any free port)'),
    queryTimeoutMs,
    queryBudgetMs,
    queryBudgetMaxMs: integer(env, 'QUERY_BUDGET_MAX_MS', queryTimeoutMs, queryBudgetMs, queryTimeoutMs,
      ' (milliseconds, from QUERY_BUDGET_MS to QUERY_TIMEOUT_MS)'),
  };
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host.startsWith('127.');
}

// --- request limits ---

export const DEFAULT_MAX_BODY_BYTES = 5 * 1024 * 1024;
export const DEFAULT_MAX_BUCKETS = 10_000;

/** MAX_BODY_BYTES (5 MB): the largest request body. */
export function maxBodyBytes(env: Env = process.env): number {
  return integer(env, 'MAX_BODY_BYTES', DEFAULT_MAX_BODY_BYTES, 1, 1024 ** 3, ' (bytes, at most 1 GiB)');
}

function proxyCount(env: Env): number {
  const v = read(env, 'TRUST_PROXY');
  if (v === undefined || /^(false|no|off)$/i.test(v)) return 0;
  if (/^(true|yes|on)$/i.test(v)) return 1;
  if (/^\d{1,2}$/.test(v)) return Number(v);
  throw new ConfigError('TRUST_PROXY', v, 'false, true or the number of proxies in front of the API (0 to 99)');
}

/**
 * RATE_LIMIT_PER_SECOND (50) and RATE_LIMIT_BURST (200) per key; RATE_LIMIT_ANON_PER_SECOND (20)
 * and RATE_LIMIT_ANON_BURST (100) per client address for callers without a valid key; TRUST_PROXY (off).
 */
export function rateLimitSettings(env: Env = process.env): Required<RateLimit> {
  return {
    perSecond: positiveNumber(env, 'RATE_LIMIT_PER_SECOND', 50),
    burst: positiveNumber(env, 'RATE_LIMIT_BURST', 200),
    anonymous: { perSecond: positiveNumber(env, 'RATE_LIMIT_ANON_PER_SECOND', 20), burst: positiveNumber(env, 'RATE_LIMIT_ANON_BURST', 100) },
    trustProxy: proxyCount(env),
    maxBuckets: DEFAULT_MAX_BUCKETS,
  };
}

// --- command-line tools ---

/** CI: set on continuous-integration runners, where loads show their progress bar without a terminal. */
export function inCi(env: Env = process.env): boolean {
  return read(env, 'CI') !== undefined;
}

/** DISINFO_API_KEY: the key `npm run import` writes as when --key is not given. */
export function cliApiKey(env: Env = process.env): string | undefined {
  return read(env, 'DISINFO_API_KEY');
}

// --- all of it ---

export interface Config {
  server: ServerSettings;
  limits: { maxBodyBytes: number; rateLimit: Required<RateLimit> };
  neo4j: Neo4jTarget;
  localDb: LocalDbConfig;
}

/** Reads and checks every variable the API uses; throws ConfigError on the first bad one. */
export function loadConfig(env: Env = process.env): Config {
  return {
    server: serverSettings(env),
    limits: { maxBodyBytes: maxBodyBytes(env), rateLimit: rateLimitSettings(env) },
    neo4j: neo4jTarget(env),
    localDb: localDbConfig(env),
  };
}
