// Saved viewer investigations: a name and the viewer's JSON state, kept apart from the graph.
// Writes: an owner (the key that created it) and an audit record; only the owner's key or an
// ADMIN may overwrite, rename or delete, checked under a lock in the same transaction as the
// write. Reads: open to anyone, but the state loses every entity the reader may not see.
import { randomUUID } from 'node:crypto';
import { BadInput, Forbidden, NotFound } from '../../core/errors.js';
import type { Tlp } from '../../model/model.js';
import { appendAudit } from './audit.js';
import type { Executor, Tx } from './executor.js';
import { visibleTlps } from './filter.js';
import { deleteInvestigationNotes } from './notes.js';

export interface InvestigationRecord {
  id: string;
  name: string;
  /** What it is about, in a line or a paragraph; null when none was given. */
  description: string | null;
  /** The state as saved: filter it with `visibleState` before it reaches a caller. */
  state: unknown;
  owner: string;
  ownerKeyId: string | null;
  updatedBy: string | null;
  createdAt: string;
  updatedAt: string;
}

/** Who writes: the key's id and label, whether it is an ADMIN, and its name in the audit trail. */
export interface InvestigationWriter {
  keyId: string;
  name: string;
  admin: boolean;
  actor: string;
  clearance: Tlp;
}

const MAX_STATE = 2_000_000;
/** Deeper JSON than this is refused on save (the viewer's state is 3 levels deep). */
const MAX_DEPTH = 64;
/** Strings longer than this cannot be entity ids worth looking up. */
const MAX_ID_LENGTH = 300;

/** Owners saved before keys were recorded apart: "<name> [key <id>]" (the audit actor format). */
const LEGACY_OWNER = /^(.*) \[key ([^\]\s]+)\]$/;

function toRecord(p: Record<string, unknown>): InvestigationRecord {
  const stored = (p.owner as string | undefined) ?? 'unknown';
  const legacy = p.ownerKeyId ? null : LEGACY_OWNER.exec(stored);
  return {
    id: p.id as string,
    name: p.name as string,
    description: (p.description as string | undefined) ?? null,
    state: JSON.parse(p.state as string),
    owner: legacy ? legacy[1] : stored,
    ownerKeyId: (p.ownerKeyId as string | undefined) ?? legacy?.[2] ?? null,
    updatedBy: (p.updatedBy as string | undefined) ?? null,
    createdAt: p.createdAt as string,
    updatedAt: p.updatedAt as string,
  };
}

const badInput = (field: string, message: string) => BadInput.field(field, message);

function checkName(name: string | null | undefined, field: string): string {
  if (!name?.trim() || name.length > 200) throw badInput(field, 'required, at most 200 characters');
  return name.trim();
}

const MAX_DESCRIPTION = 2_000;

/** undefined: leave as stored; null or blank: clear; else trimmed, at most MAX_DESCRIPTION. */
function checkDescription(d: string | null | undefined, field: string): string | null | undefined {
  if (d === undefined) return undefined;
  if (d !== null && d.length > MAX_DESCRIPTION) throw badInput(field, `at most ${MAX_DESCRIPTION.toLocaleString('en')} characters`);
  return d?.trim() || null;
}

function checkId(id: string, field: string): void {
  if (!/^[A-Za-z0-9._:-]{1,100}$/.test(id)) throw badInput(field, 'letters, digits, . _ : - only, at most 100');
}

function checkDepth(v: unknown, depth = 0): void {
  if (depth > MAX_DEPTH) throw badInput('input.state', `nested deeper than ${MAX_DEPTH} levels`);
  if (v && typeof v === 'object') for (const x of Object.values(v)) checkDepth(x, depth + 1);
}

export const forbidden = (id: string) => new Forbidden(`Only the owner or an admin can change investigation ${JSON.stringify(id)}.`, { id });
const notFound = (id: string) => new NotFound('investigation', id);

/** What the audit trail keeps of an investigation: not the state, only its size. */
function summary(r: InvestigationRecord): Record<string, unknown> {
  const nodes = (r.state as { nodes?: unknown } | null)?.nodes;
  return { id: r.id, name: r.name, description: r.description, owner: r.owner, ownerKeyId: r.ownerKeyId, nodes: Array.isArray(nodes) ? nodes.length : 0 };
}

/**
 * Reads the investigation after taking its write lock (a no-op SET), so nobody can change it
 * between this check and the write that follows in the same transaction.
 */
async function lockedRead(ex: Executor, tx: Tx, id: string): Promise<InvestigationRecord | null> {
  await ex.run(tx, 'MATCH (i:Investigation {id: $id}) SET i._lock = true REMOVE i._lock', { id });
  const rows = await ex.run<{ i: { properties: Record<string, unknown> } }>(tx, 'MATCH (i:Investigation {id: $id}) RETURN i', { id });
  return rows.length ? toRecord(rows[0].i.properties) : null;
}

function mayChange(r: InvestigationRecord, w: InvestigationWriter): boolean {
  return w.admin || (r.ownerKeyId !== null && r.ownerKeyId === w.keyId);
}

/** Creates (new or absent id) or overwrites (existing id: owner or ADMIN only). */
export async function saveInvestigation(
  ex: Executor, input: { id?: string | null; name: string; description?: string | null; state: unknown }, w: InvestigationWriter,
): Promise<InvestigationRecord> {
  const name = checkName(input.name, 'input.name');
  const description = checkDescription(input.description, 'input.description');
  if (input.id != null) checkId(input.id, 'input.id');
  checkDepth(input.state);
  const state = JSON.stringify(input.state ?? null);
  if (state.length > MAX_STATE) throw badInput('input.state', `larger than ${MAX_STATE} bytes`);
  const id = input.id ?? randomUUID();
  const now = new Date().toISOString();
  return ex.write(async (tx) => {
    // MERGE on the unique id: a concurrent save of the same new id waits here, then sees ours.
    const created = await ex.runCounted(tx,
      `MERGE (i:Investigation {id: $id})
       ON CREATE SET i.createdAt = $now, i.owner = $owner, i.ownerKeyId = $keyId, i.name = $name, i.state = 'null', i.updatedAt = $now`,
      { id, now, owner: w.name, keyId: w.keyId, name });
    const before = await lockedRead(ex, tx, id);
    if (!before) throw notFound(id);
    const isNew = created.nodesCreated > 0;
    if (!isNew && !mayChange(before, w)) throw forbidden(id);
    // The writer opened it without what it may not see; saving over it would delete those entries.
    if (!isNew && (await hiddenEntityIds(ex, candidateIds(before.state), w.clearance)).size > 0) {
      throw new Forbidden(`Investigation ${JSON.stringify(id)} holds entities above your clearance (${w.clearance}); saving over it would delete them. Save it as a new investigation.`,
        { id });
    }
    const rows = await ex.run<{ i: { properties: Record<string, unknown> } }>(tx,
      `MATCH (i:Investigation {id: $id}) SET i.name = $name, i.state = $state, i.updatedAt = $now, i.updatedBy = $by,
         i.owner = $owner, i.ownerKeyId = $ownerKeyId, i.description = CASE WHEN $keepDescription THEN i.description ELSE $description END RETURN i`,
      { id, name, state, now, by: w.name, owner: before.owner, ownerKeyId: before.ownerKeyId, keepDescription: description === undefined, description: description ?? null });
    const after = toRecord(rows[0].i.properties);
    await appendAudit(ex, tx, w.actor, [{ action: 'SAVE_INVESTIGATION', entityId: null, before: isNew ? null : summary(before), after: summary(after) }]);
    return after;
  });
}

/** Renames, and with `newDescription` (null clears) describes anew; a description left out stays. */
export async function renameInvestigation(
  ex: Executor, id: string, newName: string, w: InvestigationWriter, newDescription?: string | null,
): Promise<InvestigationRecord> {
  const name = checkName(newName, 'name');
  const description = checkDescription(newDescription, 'description');
  const now = new Date().toISOString();
  return ex.write(async (tx) => {
    const before = await lockedRead(ex, tx, id);
    if (!before) throw notFound(id);
    if (!mayChange(before, w)) throw forbidden(id);
    const rows = await ex.run<{ i: { properties: Record<string, unknown> } }>(tx,
      `MATCH (i:Investigation {id: $id}) SET i.name = $name, i.updatedAt = $now, i.updatedBy = $by,
         i.description = CASE WHEN $keepDescription THEN i.description ELSE $description END RETURN i`,
      { id, name, now, by: w.name, keepDescription: description === undefined, description: description ?? null });
    const after = toRecord(rows[0].i.properties);
    await appendAudit(ex, tx, w.actor, [{ action: 'RENAME_INVESTIGATION', entityId: null, before: summary(before), after: summary(after) }]);
    return after;
  });
}

export async function deleteInvestigation(ex: Executor, id: string, w: InvestigationWriter): Promise<boolean> {
  return ex.write(async (tx) => {
    const before = await lockedRead(ex, tx, id);
    if (!before) throw notFound(id);
    if (!mayChange(before, w)) throw forbidden(id);
    // Its notes annotate nothing else: they go with it (FORBIDDEN if one is above the deleter's clearance).
    const notes = await deleteInvestigationNotes(ex, tx, id, w.clearance);
    await ex.run(tx, 'MATCH (i:Investigation {id: $id}) DELETE i', { id });
    await appendAudit(ex, tx, w.actor, [{ action: 'DELETE_INVESTIGATION', entityId: null, before: { ...summary(before), notes }, after: null }]);
    return true;
  });
}

export async function getInvestigation(ex: Executor, id: string): Promise<InvestigationRecord | null> {
  const rows = await ex.read<{ i: { properties: Record<string, unknown> } }>('MATCH (i:Investigation {id: $id}) RETURN i', { id });
  return rows.length ? toRecord(rows[0].i.properties) : null;
}

export async function listInvestigations(ex: Executor, first: number): Promise<InvestigationRecord[]> {
  const rows = await ex.read<{ i: { properties: Record<string, unknown> } }>(
    'MATCH (i:Investigation) RETURN i ORDER BY i.updatedAt DESC LIMIT $first', { first });
  return rows.map((r) => toRecord(r.i.properties));
}

// ---- what a reader may see of a saved state -------------------------------------------------

/** Every string in the state, keys included, that could be an entity id. */
export function candidateIds(state: unknown, into = new Set<string>()): Set<string> {
  const stack: unknown[] = [state];
  while (stack.length) {
    const v = stack.pop();
    if (typeof v === 'string') {
      if (v.length > 0 && v.length <= MAX_ID_LENGTH) into.add(v);
    } else if (Array.isArray(v)) {
      stack.push(...(v as unknown[]));
    } else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (k.length <= MAX_ID_LENGTH) into.add(k);
        stack.push(x);
      }
    }
  }
  return into;
}

/** The ids among `ids` of entities above `clearance` (or without a TLP: fail closed, as reads do). */
export async function hiddenEntityIds(ex: Executor, ids: Iterable<string>, clearance: Tlp): Promise<Set<string>> {
  const tlps = visibleTlps(clearance);
  const list = [...ids];
  if (list.length === 0 || tlps.length === 4) return new Set();
  const rows = await ex.read<{ id: string }>(
    'UNWIND $ids AS id MATCH (e:Entity {id: id}) WHERE e.tlp IS NULL OR NOT e.tlp IN $tlps RETURN e.id AS id', { ids: list, tlps });
  return new Set(rows.map((r) => r.id));
}

/** Whether `v` holds a hidden id anywhere (value or key). */
function mentions(v: unknown, hidden: Set<string>): boolean {
  for (const s of candidateIds(v)) if (hidden.has(s)) return true;
  return false;
}

/** Whether the object is a hidden entity's record (its `id` is one), name and all. */
function isAbout(o: object, hidden: Set<string>): boolean {
  const id = (o as { id?: unknown }).id;
  return typeof id === 'string' && hidden.has(id);
}

/**
 * The state without hidden entities: list entries that mention one go (a node with its position,
 * an element with its name); object keys naming one go (position maps); a property holding one
 * becomes null (the selection); an object whose `id` is one becomes null. Fails closed past
 * MAX_DEPTH.
 */
export function pruneState(state: unknown, hidden: Set<string>): unknown {
  if (hidden.size === 0) return state;
  const prune = (v: unknown, depth: number): unknown => {
    if (typeof v === 'string') return hidden.has(v) ? null : v;
    if (!v || typeof v !== 'object') return v;
    if (depth > MAX_DEPTH) return null;
    if (Array.isArray(v)) return v.filter((x) => !mentions(x, hidden)).map((x) => prune(x, depth + 1));
    if (isAbout(v, hidden)) return null;
    return Object.fromEntries(Object.entries(v).filter(([k]) => !hidden.has(k)).map(([k, x]) => [k, prune(x, depth + 1)]));
  };
  return prune(state, 0) ?? {};
}
