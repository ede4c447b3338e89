// STIX identifiers: `type--<uuid>`. Our ids are free-form strings, so an export derives a
// deterministic UUIDv5 from them (same graph, same STIX ids) and keeps ours in x_disinfo_id.
import { createHash } from 'node:crypto';

/** The project's UUIDv5 namespace (fixed: changing it changes every exported id). */
const NAMESPACE = '6f1d7c2e-3a5b-4c8d-9e0f-1a2b3c4d5e6f';

const UUID = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';
/** What we accept on import: any `type--uuid` (some producers use UUID versions beyond 5). */
export const STIX_ID = new RegExp(`^([a-z][a-z0-9-]*[a-z0-9])--${UUID}$`);
/** What the OASIS schemas accept, and so what we emit: UUID versions 1–5, RFC 4122 variant. */
const SCHEMA_ID = /^[a-z][a-z0-9-]+[a-z0-9]--[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[1-5][0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}$/;

export const isStixId = (v: unknown): v is string => typeof v === 'string' && STIX_ID.test(v);
export const stixTypeOf = (id: string): string => id.slice(0, id.indexOf('--'));

/** RFC 4122 UUID version 5 (SHA-1 of namespace + name). */
export function uuidV5(name: string, namespace = NAMESPACE): string {
  const ns = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  const hash = createHash('sha1').update(ns).update(name, 'utf8').digest();
  hash[6] = (hash[6] & 0x0f) | 0x50;
  hash[8] = (hash[8] & 0x3f) | 0x80;
  const h = hash.subarray(0, 16).toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/**
 * The STIX id of one of our records: the id it was imported with when that still fits the type
 * we export it as (so others' ids survive a round trip), else one derived from our id.
 */
export function stixIdFor(type: string, ourId: string, storedStixId?: unknown): string {
  if (typeof storedStixId === 'string' && storedStixId.startsWith(`${type}--`) && SCHEMA_ID.test(storedStixId)) return storedStixId;
  return `${type}--${uuidV5(`${type}:${ourId}`)}`;
}
