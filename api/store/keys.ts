// API keys: stored as SHA-256 hashes in Neo4j; the key itself is shown once, at creation.
import { createHash, randomBytes } from 'node:crypto';
import type { Tlp } from '../../model/model.js';
import type { Executor } from './executor.js';

/** What a key may do: read; also write (analyst); also manage keys (admin). */
export type Role = 'READER' | 'ANALYST' | 'ADMIN';

export interface KeyRecord {
  id: string;
  name: string;
  role: Role;
  clearance: Tlp;
  createdAt: string;
  revokedAt: string | null;
}

export const hashKey = (key: string): string => createHash('sha256').update(key).digest('hex');

export async function createKey(ex: Executor, name: string, role: Role, clearance: Tlp): Promise<{ key: string; record: KeyRecord }> {
  const id = randomBytes(6).toString('hex');
  const key = `dgk_${id}_${randomBytes(24).toString('base64url')}`;
  const createdAt = new Date().toISOString();
  await ex.write((tx) => ex.run(tx,
    'CREATE (:ApiKey {id: $id, name: $name, role: $role, clearance: $clearance, hash: $hash, createdAt: $createdAt})',
    { id, name, role, clearance, hash: hashKey(key), createdAt }));
  return { key, record: { id, name, role, clearance, createdAt, revokedAt: null } };
}

export async function listKeys(ex: Executor): Promise<KeyRecord[]> {
  const rows = await ex.read<{ k: { properties: KeyRecord } }>('MATCH (k:ApiKey) RETURN k ORDER BY k.createdAt');
  return rows.map(({ k }) => ({ ...k.properties, revokedAt: k.properties.revokedAt ?? null }));
}

export async function revokeKey(ex: Executor, id: string): Promise<boolean> {
  const rows = await ex.write((tx) => ex.run(tx,
    'MATCH (k:ApiKey {id: $id}) WHERE k.revokedAt IS NULL SET k.revokedAt = $now RETURN k.id AS id', { id, now: new Date().toISOString() }));
  return rows.length > 0;
}

/** The active key with this secret, or null. One indexed lookup per request: revocation is immediate. */
export async function findActiveKey(ex: Executor, key: string): Promise<KeyRecord | null> {
  const rows = await ex.read<{ k: { properties: KeyRecord } }>(
    'MATCH (k:ApiKey {hash: $hash}) WHERE k.revokedAt IS NULL RETURN k', { hash: hashKey(key) });
  return rows.length ? { ...rows[0].k.properties, revokedAt: null } : null;
}

export async function activeKeyCount(ex: Executor): Promise<number> {
  const [row] = await ex.read<{ n: number }>('MATCH (k:ApiKey) WHERE k.revokedAt IS NULL RETURN count(k) AS n');
  return row.n;
}
