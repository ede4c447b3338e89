// Notes on entities, links and saved investigations (model/notes.ts). A (:Note) node holds its
// target's id, never a relationship: entities' degrees and neighbourhoods stay the graph's own.
// A note is marked at least as high as its target, and it is visible only while both its own
// marking and its target's current one are within the caller's clearance: what a caller may not
// see of it, it cannot list, count, delete or tell apart from a note that does not exist.
import { randomUUID } from 'node:crypto';
import { BadInput, Forbidden, NotFound } from '../../core/errors.js';
import { isTlp, TLPS, tlpRank, type Tlp } from '../../model/model.js';
import { NOTE_MAX_LENGTH, noteTlp, type NoteTargetType } from '../../model/notes.js';
import { appendAudit } from './audit.js';
import type { RecordShape } from 'neo4j-driver';
import type { Executor, Tx } from './executor.js';

export interface NoteRecord {
  id: string;
  target: string;
  targetType: NoteTargetType;
  text: string;
  tlp: Tlp;
  author: string;
  authorKeyId: string | null;
  createdAt: string;
}

/** Who writes a note: the key's id and label, whether it is an ADMIN, its audit name, its clearance. */
export interface NoteWriter {
  keyId: string;
  name: string;
  admin: boolean;
  actor: string;
  clearance: Tlp;
}

/** A target as it stands now: its kind, its marking (a link's: the highest of it and its ends) and the entities it touches. */
interface Target { type: NoteTargetType; tlp: Tlp; entityIds: string[]; linkId: string | null }

const MAX_TARGET_LENGTH = 300;
/** A stored marking that is missing or unknown counts as RED: fail closed, as reads do. */
const rank = (t: unknown): number => tlpRank(isTlp(t) ? t : 'RED');
const highest = (...ts: unknown[]): Tlp => TLPS[Math.max(...ts.map(rank))];
const within = (t: Tlp, clearance: Tlp) => tlpRank(t) <= tlpRank(clearance);

function checkTarget(target: string, field = 'target'): void {
  if (!target || target.length > MAX_TARGET_LENGTH) throw BadInput.field(field, `an entity, link or investigation id of 1 to ${MAX_TARGET_LENGTH} characters`);
}

/**
 * What `id` names: an entity, else a link, else a saved investigation. With `tx`, the target is
 * locked (a no-op SET) so its marking cannot change before the note is written.
 */
async function findTarget(ex: Executor, id: string, tx?: Tx): Promise<Target | null> {
  const run = <T extends RecordShape>(q: string) => (tx ? ex.run<T>(tx, q, { id }) : ex.read<T>(q, { id }));
  const lock = (v: string) => (tx ? `SET ${v}.id = ${v}.id` : '');
  const [e] = await run<{ tlp: unknown }>(`MATCH (e:Entity {id: $id}) ${lock('e')} RETURN e.tlp AS tlp`);
  if (e) return { type: 'ENTITY', tlp: highest(e.tlp), entityIds: [id], linkId: null };
  const [l] = await run<{ tlp: unknown; a: unknown; b: unknown; from: string; to: string }>(
    `MATCH (a:Entity)-[r {id: $id}]->(b:Entity) WITH a, r, b LIMIT 1 ${lock('r')}
     RETURN coalesce(r.tlp, 'CLEAR') AS tlp, a.tlp AS a, b.tlp AS b, a.id AS from, b.id AS to`);
  if (l) return { type: 'LINK', tlp: highest(l.tlp, l.a, l.b), entityIds: [l.from, l.to], linkId: id };
  const [i] = await run<{ id: string }>(`MATCH (i:Investigation {id: $id}) ${lock('i')} RETURN i.id AS id`);
  // Anyone may open an investigation (its state is filtered per reader): its floor is CLEAR.
  if (i) return { type: 'INVESTIGATION', tlp: 'CLEAR', entityIds: [], linkId: null };
  return null;
}

function toNote(p: Record<string, unknown>, targetTlp: Tlp): NoteRecord {
  return {
    id: p.id as string, target: p.target as string, targetType: p.targetType as NoteTargetType, text: p.text as string,
    // Shown as the stricter of its own marking and its target's now (the target's may have risen since).
    tlp: highest(p.tlp, targetTlp), author: p.author as string, authorKeyId: (p.authorKeyId as string | null) ?? null, createdAt: p.createdAt as string,
  };
}

const auditView = (n: NoteRecord) => ({ id: n.id, target: n.target, targetType: n.targetType, tlp: n.tlp, text: n.text });

/**
 * Adds a note. The target must be within the writer's clearance (else NOT_FOUND, as if it did not
 * exist); `tlp` above the writer's clearance is FORBIDDEN; below the target's marking it rises to it.
 */
export async function addNote(ex: Executor, input: { target: string; text: string; tlp?: Tlp | null }, w: NoteWriter): Promise<NoteRecord> {
  checkTarget(input.target);
  const text = (input.text ?? '').trim();
  if (!text) throw BadInput.field('text', 'must not be empty');
  if (text.length > NOTE_MAX_LENGTH) throw BadInput.field('text', `at most ${NOTE_MAX_LENGTH.toLocaleString('en')} characters; got ${text.length.toLocaleString('en')}`);
  if (input.tlp && !within(input.tlp, w.clearance)) {
    throw new Forbidden(`tlp: a note marked ${input.tlp} is above your clearance (${w.clearance}); nothing was written.`, { field: 'tlp' });
  }
  return ex.write(async (tx) => {
    const target = await findTarget(ex, input.target, tx);
    if (!target || !within(target.tlp, w.clearance)) throw new NotFound('note target', input.target);
    const tlp = noteTlp(input.tlp, target.tlp);
    const [row] = await ex.run<{ n: { properties: Record<string, unknown> } }>(tx,
      `CREATE (n:Note {id: $id, target: $target, targetType: $targetType, text: $text, tlp: $tlp, author: $author, authorKeyId: $keyId, createdAt: $now})
       RETURN n`,
      { id: `note-${randomUUID()}`, target: input.target, targetType: target.type, text, tlp, author: w.name, keyId: w.keyId, now: new Date().toISOString() });
    const note = toNote(row.n.properties, target.tlp);
    await appendAudit(ex, tx, w.actor, [{ action: 'ADD_NOTE', entityId: target.entityIds[0] ?? null, entityIds: target.entityIds, linkId: target.linkId, after: auditView(note), tlp }]);
    return note;
  });
}

/** The notes on `target` the caller may see, newest first; none when the target is not visible to it (or does not exist). */
export async function notesOn(ex: Executor, target: string, clearance: Tlp, first: number): Promise<NoteRecord[]> {
  checkTarget(target);
  const t = await findTarget(ex, target);
  if (!t || !within(t.tlp, clearance)) return [];
  const rows = await ex.read<{ n: { properties: Record<string, unknown> } }>(
    'MATCH (n:Note {target: $target}) WHERE n.tlp IN $tlps RETURN n ORDER BY n.createdAt DESC, n.id LIMIT $first',
    { target, tlps: TLPS.slice(0, tlpRank(clearance) + 1), first });
  return rows.map((r) => toNote(r.n.properties, t.tlp));
}

/**
 * Deletes a note: its author's key or an ADMIN. A note the caller may not see is NOT_FOUND,
 * like one that does not exist. Audited with its text.
 */
export async function deleteNote(ex: Executor, id: string, w: NoteWriter): Promise<boolean> {
  if (!id || id.length > MAX_TARGET_LENGTH) throw BadInput.field('id', `a note id of 1 to ${MAX_TARGET_LENGTH} characters`);
  return ex.write(async (tx) => {
    const [row] = await ex.run<{ n: { properties: Record<string, unknown> } }>(tx, 'MATCH (n:Note {id: $id}) SET n.id = n.id RETURN n', { id });
    const target = row ? await findTarget(ex, row.n.properties.target as string, tx) : null;
    const note = row && target ? toNote(row.n.properties, target.tlp) : null;
    if (!note || !target || !within(note.tlp, w.clearance)) throw new NotFound('note', id);
    if (!w.admin && note.authorKeyId !== w.keyId) throw new Forbidden(`Only the author of note ${JSON.stringify(id)} or an admin can delete it.`, { id });
    await ex.run(tx, 'MATCH (n:Note {id: $id}) DELETE n', { id });
    await appendAudit(ex, tx, w.actor, [{ action: 'DELETE_NOTE', entityId: target.entityIds[0] ?? null, entityIds: target.entityIds, linkId: target.linkId, before: auditView(note), tlp: note.tlp }]);
    return true;
  });
}

/**
 * For deleting an investigation in `tx`: its notes go with it, unless one is above the deleter's
 * clearance (deleting would destroy what they may not see: FORBIDDEN, nothing deleted).
 * Returns how many went.
 */
export async function deleteInvestigationNotes(ex: Executor, tx: Tx, investigationId: string, clearance: Tlp): Promise<number> {
  const rows = await ex.run<{ tlp: unknown }>(tx, "MATCH (n:Note {target: $id, targetType: 'INVESTIGATION'}) SET n.id = n.id RETURN n.tlp AS tlp", { id: investigationId });
  if (rows.some((r) => rank(r.tlp) > tlpRank(clearance))) {
    throw new Forbidden(`Investigation ${JSON.stringify(investigationId)} has notes above your clearance (${clearance}); deleting it would delete them.`, { id: investigationId });
  }
  await ex.run(tx, "MATCH (n:Note {target: $id, targetType: 'INVESTIGATION'}) DELETE n", { id: investigationId });
  return rows.length;
}
