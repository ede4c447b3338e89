// Where the API finds Neo4j: NEO4J_URI/NEO4J_USER/NEO4J_PASSWORD/NEO4J_DATABASE when set,
// else the local server that db/ starts (password read from its 0600 file).
import { boltUri, localDbConfig, readLocalPassword } from '../db/launcher.js';

export interface Neo4jSettings {
  uri: string;
  user: string;
  password: string;
  database: string;
  /** True when we are the ones who should start (and stop) the local server. */
  local: boolean;
}

export function neo4jSettings(env: NodeJS.ProcessEnv = process.env): Neo4jSettings {
  const local = !env.NEO4J_URI;
  const localConfig = localDbConfig(env);
  return {
    uri: env.NEO4J_URI ?? boltUri(localConfig),
    user: env.NEO4J_USER ?? 'neo4j',
    // Read lazily by callers after the local server has set it on first start.
    password: env.NEO4J_PASSWORD ?? (local ? readLocalPassword(localConfig) ?? '' : ''),
    database: env.NEO4J_DATABASE ?? 'neo4j',
    local,
  };
}

export interface ServerSettings {
  host: string;
  port: number;
  queryTimeoutMs: number;
}

export function serverSettings(env: NodeJS.ProcessEnv = process.env): ServerSettings {
  return {
    host: env.HOST ?? '127.0.0.1',
    port: Number(env.PORT ?? 4000),
    queryTimeoutMs: Number(env.QUERY_TIMEOUT_MS ?? 15_000),
  };
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host.startsWith('127.');
}
