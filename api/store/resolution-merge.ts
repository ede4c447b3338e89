// Reversible merges (docs/resolution.md). mergeEntities moves every link and citation of the merged
// entities to the survivor, combines the duplicate links that result (their citations accumulate,
// core/evidence.ts), adds the merged names as aliases, and keeps each merged node as
// (:MergedEntity {mergedInto}) so that its id still resolves; a (:MergeRecord) holds what every
// touched record was before and after, so unmergeEntities can put it all back, keeping what was
// edited since (a three-way merge per field: a field changed since the merge keeps its new value).
import { randomUUID } from 'node:crypto';
import { BadInput, NotFound } from '../../core/errors.js';
import { accumulate, confidenceOf, storedCitations } from '../../core/evidence.js';
import { FIELD_LIMITS, externalIdText, searchKey } from '../../core/validate.js';
import { TLPS, isTlp, labelOf, relTypeOf, tlpRank, type EntityKind, type Tlp } from '../../model/model.js';
import type { Executor, Tx } from './executor.js';
import { appendAudit } from './audit.js';
import { forbiddenWrite } from './write-graph.js';
import { putJudgement } from './resolution-judgements.js';

/** A link as a merge record keeps it. */
export interface LinkState { type: string; id: string; from: string; to: string; props: Record<string, unknown> }
/** One touched link: before the merge, and after it (null: absorbed into `absorbedInto`, or dropped as a link between participants). */
interface LinkChange { before: LinkState; after: LinkState | null; absorbedInto?: string }
interface Snapshot {
  survivor: { before: Record<string, unknown>; after: Record<string, unknown> };
  links: LinkChange[];
}

export interface MergeResult { mergeId: string; into: string; from: string[]; linksMoved: number; linksCombined: number; linksDropped: number; citationsRewritten: number }

/** Survivor fields a merge changes (and unmerge gives back). */
const SURVIVOR_FIELDS = ['aliases', 'aliasText', 'aliasKeyText', 'externalIds', 'externalIdText', 'tlp', 'updatedAt', 'updatedBy'] as const;
export const MAX_MERGE_FROM = 50;
/** A link's evidence: its citation lists and the confidence they give. */
const EVIDENCE_FIELDS = ['citeSources', 'citeLocators', 'citeQuotes', 'citeVias', 'citeConfidences', 'confidence', 'confidenceDefaulted'];

const rank = (t: unknown) => tlpRank(isTlp(t) ? t : 'CLEAR');
const maxTlp = (ts: unknown[]): Tlp => TLPS[Math.max(0, ...ts.map(rank))];
const citeKey = (s: string, l: string) => JSON.stringify([s, l]);

interface Participant { id: string; kind: EntityKind; props: Record<string, unknown> }

async function readLinks(ex: Executor, tx: Tx, where: string, params: Record<string, unknown>): Promise<LinkState[]> {
  return ex.run<LinkState>(tx,
    `MATCH (a:Entity)-[r]->(b:Entity) WHERE ${where}
     RETURN DISTINCT type(r) AS type, r.id AS id, a.id AS from, b.id AS to, properties(r) AS props`, params);
}

/** Citations of `props` with ids renamed by `map`, repeats removed, the confidence recomputed. */
function renameCitations(props: Record<string, unknown>, map: Map<string, string>): { props: Record<string, unknown>; changed: boolean } {
  const c = storedCitations(props);
  const rn = (s: string) => map.get(s) ?? s;
  if (!c.citeSources.some((s) => map.has(s)) && !c.citeVias.some((s) => map.has(s))) return { props, changed: false };
  const renamed = { ...props, citeSources: c.citeSources.map(rn), citeVias: c.citeVias.map((v) => (v ? rn(v) : v)) };
  return { props: accumulate(undefined, renamed).props, changed: true };
}

async function deleteLinks(ex: Executor, tx: Tx, links: Array<{ type: string; id: string }>) {
  for (const type of new Set(links.map((l) => l.type))) {
    await ex.run(tx, `UNWIND $ids AS id MATCH ()-[r:${relTypeOf(type)} {id: id}]->() DELETE r`,
      { ids: links.filter((l) => l.type === type).map((l) => l.id) });
  }
}

async function createLinks(ex: Executor, tx: Tx, links: LinkState[]) {
  for (const type of new Set(links.map((l) => l.type))) {
    await ex.run(tx,
      `UNWIND $rows AS row MATCH (a:Entity {id: row.from}) MATCH (b:Entity {id: row.to})
       CREATE (a)-[r:${relTypeOf(type)}]->(b) SET r = row.props`,
      { rows: links.filter((l) => l.type === type).map((l) => ({ from: l.from, to: l.to, props: l.props })) });
  }
}

const aliasProps = (aliases: string[]) => ({
  aliases, aliasText: aliases.join(' | '), aliasKeyText: aliases.map(searchKey).filter(Boolean).join('\n'),
});

/**
 * Merges `from` into `into` in one transaction (all or nothing). The caller must see every
 * participant, every link of theirs (and its other end and cited sources) and every link citing
 * a merged source: anything above its clearance makes the merge FORBIDDEN, nothing written.
 */
export async function mergeEntities(
  ex: Executor, args: { into: string; from: string[]; reason?: string | null }, actor: string, clearance: Tlp,
  opts: { judgementNote?: string | null } = {},
): Promise<MergeResult> {
  const from = [...new Set(args.from)];
  if (!from.length) throw BadInput.field('from', 'name at least one entity to merge');
  if (from.length > MAX_MERGE_FROM) throw BadInput.field('from', `at most ${MAX_MERGE_FROM} entities in one merge`);
  if (from.includes(args.into)) throw BadInput.field('from', `must not hold the survivor ${JSON.stringify(args.into)}`);
  if ((args.reason?.length ?? 0) > 2000) throw BadInput.field('reason', 'at most 2,000 characters');
  const ids = [args.into, ...from];
  return ex.write(async (tx) => {
    const found = await ex.run<Participant & { merged: boolean; mergedInto: string | null }>(tx,
      `CALL () { MATCH (n:Entity) WHERE n.id IN $ids RETURN n UNION MATCH (n:MergedEntity) WHERE n.id IN $ids RETURN n }
       SET n.id = n.id
       RETURN n.id AS id, n.kind AS kind, properties(n) AS props, n:MergedEntity AS merged, n.mergedInto AS mergedInto`, { ids });
    const byId = new Map(found.map((p) => [p.id, p]));
    const forbidden = ids.filter((id) => byId.has(id) && rank(byId.get(id)!.props.tlp) > tlpRank(clearance));
    if (forbidden.length) {
      throw forbiddenWrite(forbidden.map((id) => ({ list: 'entities', index: ids.indexOf(id), id, field: id === args.into ? 'into' : 'from', reason: `an entity above your clearance (${clearance}) has this id` })));
    }
    for (const id of ids) {
      const p = byId.get(id);
      const field = id === args.into ? 'into' : 'from';
      if (!p) throw new NotFound('entity', id);
      if (p.merged) throw BadInput.field(field, `${JSON.stringify(id)} was already merged into ${JSON.stringify(p.mergedInto)}`);
    }
    const survivor = byId.get(args.into)!;
    for (const id of from) {
      if (byId.get(id)!.kind !== survivor.kind) throw BadInput.field('from', `${JSON.stringify(id)} is a ${byId.get(id)!.kind}, the survivor a ${survivor.kind}: only entities of one kind merge`);
    }
    const rename = new Map(from.map((id) => [id, args.into]));
    const isSource = survivor.kind === 'SOURCE';
    // The participants' links through the id index; for sources also every link citing one (a scan).
    const touched = [...new Map([
      ...await ex.run<LinkState>(tx,
        `MATCH (n:Entity) WHERE n.id IN $ids MATCH (n)-[r]-(:Entity)
         RETURN DISTINCT type(r) AS type, r.id AS id, startNode(r).id AS from, endNode(r).id AS to, properties(r) AS props`, { ids }),
      ...isSource ? await readLinks(ex, tx, 'any(s IN $from WHERE s IN r.citeSources OR s IN r.citeVias)', { from }) : [],
    ].map((l) => [`${l.type}|${l.id}`, l])).values()];
    // Clearance over everything the merge rewrites: links, their ends, the sources they cite.
    const ends = [...new Set(touched.flatMap((l) => [l.from, l.to, ...storedCitations(l.props).citeSources, ...storedCitations(l.props).citeVias.filter(Boolean)]))];
    const endTlps = new Map((await ex.run<{ id: string; tlp: Tlp }>(tx, 'MATCH (n:Entity) WHERE n.id IN $ends RETURN n.id AS id, n.tlp AS tlp', { ends })).map((r) => [r.id, r.tlp]));
    const hiddenLinks = touched.filter((l) => rank(l.props.tlp) > tlpRank(clearance)
      || [l.from, l.to, ...storedCitations(l.props).citeSources].some((id) => rank(endTlps.get(id)) > tlpRank(clearance)));
    if (hiddenLinks.length) {
      throw forbiddenWrite([{ list: 'entities', index: 0, id: args.into, field: 'from', reason: `${hiddenLinks.length} link(s) of these entities are above your clearance (${clearance}); merging would rewrite them` }]);
    }

    // Re-point, rename citations, combine duplicates. Links that already ended at the survivor are
    // indexed first, so a moved duplicate is absorbed by the survivor's own link.
    const changes: LinkChange[] = [];
    const afterById = new Map<string, LinkState>();
    const byKey = new Map<string, string>();
    const keyOf = (l: LinkState) => JSON.stringify([l.type, l.from, l.to, l.props.assertion ?? 'AFFIRMED']);
    const moved: LinkState[] = [];
    let citationsRewritten = 0;
    for (const before of touched) {
      const renamed = renameCitations(before.props, rename);
      if (renamed.changed) citationsRewritten++;
      const after: LinkState = { ...before, from: rename.get(before.from) ?? before.from, to: rename.get(before.to) ?? before.to, props: renamed.props };
      const change: LinkChange = { before, after };
      changes.push(change);
      if (after.from === after.to && before.from !== before.to) { change.after = null; continue; }
      if (after.from !== before.from || after.to !== before.to) moved.push(after);
      else { afterById.set(after.id, after); if (!byKey.has(keyOf(after))) byKey.set(keyOf(after), after.id); }
    }
    let linksCombined = 0;
    for (const m of moved) {
      const target = byKey.get(keyOf(m));
      if (target) {
        const t = afterById.get(target)!;
        const acc = accumulate(t.props, m.props);
        if (acc.problem) throw BadInput.field('from', `link ${target}: ${acc.problem}`);
        // Only the evidence joins: the survivor's link keeps its own id and fields.
        const evidence = Object.fromEntries(Object.entries(acc.props).filter(([k]) => EVIDENCE_FIELDS.includes(k)));
        t.props = { ...t.props, ...evidence, tlp: maxTlp([t.props.tlp, m.props.tlp]) };
        const ch = changes.find((c) => c.before.id === m.id && c.before.type === m.type)!;
        ch.after = null; ch.absorbedInto = target;
        linksCombined++;
      } else {
        afterById.set(m.id, m); byKey.set(keyOf(m), m.id);
      }
    }
    for (const ch of changes) if (ch.after) ch.after = afterById.get(ch.before.id) ?? ch.after;

    // The survivor: merged names and aliases become aliases, external ids join, the marking rises.
    const sp = survivor.props;
    const aliases = [...(sp.aliases as string[] | undefined) ?? []];
    for (const id of from) {
      const p = byId.get(id)!.props;
      for (const a of [p.name as string, ...((p.aliases as string[] | undefined) ?? [])]) if (a && a !== sp.name && !aliases.includes(a)) aliases.push(a);
    }
    if (aliases.length > FIELD_LIMITS.aliases) throw BadInput.field('from', `the survivor would hold ${aliases.length} aliases, more than the ${FIELD_LIMITS.aliases} allowed`);
    const extIds = [...new Set([...(sp.externalIds as string[] | undefined) ?? [], ...from.flatMap((id) => (byId.get(id)!.props.externalIds as string[] | undefined) ?? [])])];
    const now = new Date().toISOString();
    const survivorAfter: Record<string, unknown> = {
      aliases, externalIds: extIds.length ? extIds : (sp.externalIds ?? null),
      tlp: maxTlp(ids.map((id) => byId.get(id)!.props.tlp)), updatedAt: now, updatedBy: actor,
    };
    const survivorBefore = Object.fromEntries(SURVIVOR_FIELDS.map((f) => [f, sp[f] ?? null]));

    // Write: links first (delete the touched, create their after-states), then the nodes.
    await deleteLinks(ex, tx, changes.map((c) => c.before));
    const mergeId = `merge--${randomUUID()}`;
    await ex.run(tx,
      `MATCH (n:Entity {id: $into}) SET n += $props`,
      { into: args.into, props: { ...survivorAfter, ...aliasProps(aliases), externalIdText: survivorAfter.externalIds ? externalIdText(survivorAfter.externalIds as string[]) : null } });
    await ex.run(tx,
      `MATCH (n:Entity) WHERE n.id IN $from
       REMOVE n:Entity:${labelOf(survivor.kind)} SET n:MergedEntity, n.mergedInto = $into, n.mergeId = $mergeId`,
      { from, into: args.into, mergeId });
    await createLinks(ex, tx, [...afterById.values()]);
    const snapshot: Snapshot = { survivor: { before: survivorBefore, after: survivorAfter }, links: changes };
    const tlp = maxTlp([...ids.map((id) => byId.get(id)!.props.tlp), ...touched.map((l) => l.props.tlp), ...endTlps.values()]);
    await ex.run(tx,
      `CREATE (:MergeRecord {id: $mergeId, at: $now, actor: $actor, into: $into, from: $from, kind: $kind, reason: $reason, tlp: $tlp, snapshot: $snapshot})`,
      { mergeId, now, actor, into: args.into, from, kind: survivor.kind, reason: args.reason ?? null, tlp, snapshot: JSON.stringify(snapshot) });
    for (const id of from) {
      await putJudgement(ex, tx, { a: args.into, b: id, verdict: 'SAME', into: args.into, note: opts.judgementNote ?? args.reason ?? null, at: now, actor, mergeId });
    }
    const result: MergeResult = {
      mergeId, into: args.into, from, linksMoved: moved.length - linksCombined, linksCombined,
      linksDropped: changes.filter((c) => !c.after && !c.absorbedInto).length, citationsRewritten,
    };
    await appendAudit(ex, tx, actor, [{
      action: 'MERGE_ENTITIES', entityId: args.into, entityIds: ids, before: { entities: ids.map((id) => byId.get(id)!.props) },
      after: { ...result, reason: args.reason ?? null }, tlp,
    }]);
    return result;
  });
}

export interface MergeRecordView { id: string; at: string; actor: string; into: string; from: string[]; kind: EntityKind; reason: string | null; tlp: Tlp; undoneAt: string | null; undoneBy: string | null }

const RECORD_FIELDS = 'm.id AS id, m.at AS at, m.actor AS actor, m.into AS into, m.from AS from, m.kind AS kind, m.reason AS reason, m.tlp AS tlp, m.undoneAt AS undoneAt, m.undoneBy AS undoneBy';

/** Merge records the caller may see (the record's marking within clearance), newest first; optionally those naming one entity. */
export async function mergeRecords(ex: Executor, args: { entityId?: string | null; first: number; clearance: Tlp }): Promise<MergeRecordView[]> {
  return ex.read<MergeRecordView>(
    `MATCH (m:MergeRecord) WHERE m.tlp IN $tlps AND ($entityId IS NULL OR m.into = $entityId OR $entityId IN m.from)
     RETURN ${RECORD_FIELDS} ORDER BY m.at DESC, m.id LIMIT $first`,
    { entityId: args.entityId ?? null, first: args.first, tlps: TLPS.filter((t) => tlpRank(t) <= tlpRank(args.clearance)) });
}

/** Set-wise three-way merge of a list: what was added since stays, what was removed since stays removed. */
function listRestore(before: unknown, after: unknown, current: unknown): unknown[] | null {
  const b = (before as unknown[] | null) ?? [], a = (after as unknown[] | null) ?? [], c = (current as unknown[] | null) ?? [];
  const added = c.filter((x) => !a.includes(x)), removed = a.filter((x) => !c.includes(x));
  const out = [...b.filter((x) => !removed.includes(x)), ...added.filter((x) => !b.includes(x))];
  return out.length || before != null ? out : null;
}

/** A field-wise three-way merge: a field changed since the merge keeps its current value, else its value before. */
function fieldRestore(before: Record<string, unknown>, after: Record<string, unknown>, current: Record<string, unknown>): Record<string, unknown> {
  const same = (x: unknown, y: unknown) => JSON.stringify(x ?? null) === JSON.stringify(y ?? null);
  const out: Record<string, unknown> = {};
  for (const k of new Set([...Object.keys(before), ...Object.keys(after), ...Object.keys(current)])) {
    const v = same(current[k], after[k]) ? before[k] : current[k];
    if (v !== undefined && v !== null) out[k] = v;
  }
  return out;
}

/** A link's restored properties: three-way per field, its citations as before plus those added since the merge. */
function restoreLinkProps(before: Record<string, unknown>, after: Record<string, unknown> | null, current: Record<string, unknown> | null): Record<string, unknown> {
  if (!after || !current) return before;
  const cites = EVIDENCE_FIELDS;
  const strip = (p: Record<string, unknown>) => Object.fromEntries(Object.entries(p).filter(([k]) => !cites.includes(k)));
  const base = fieldRestore(strip(before), strip(after), strip(current));
  const had = new Set(storedCitations(after).citeSources.map((s, i) => citeKey(s, storedCitations(after).citeLocators[i])));
  const cur = storedCitations(current);
  const keep = cur.citeSources.map((s, i) => !had.has(citeKey(s, cur.citeLocators[i])));
  const sinceMerge = {
    citeSources: cur.citeSources.filter((_, i) => keep[i]), citeLocators: cur.citeLocators.filter((_, i) => keep[i]),
    citeQuotes: cur.citeQuotes.filter((_, i) => keep[i]), citeVias: cur.citeVias.filter((_, i) => keep[i]),
    citeConfidences: cur.citeConfidences.filter((_, i) => keep[i]),
  };
  const b = Object.fromEntries(Object.entries(before).filter(([k]) => cites.includes(k)));
  if (!sinceMerge.citeSources.length) return { ...base, ...b };
  const merged = accumulate(before, { ...sinceMerge, confidence: confidenceOf(sinceMerge.citeConfidences) }).props;
  return { ...base, ...Object.fromEntries(Object.entries(merged).filter(([k]) => cites.includes(k))) };
}

export interface UnmergeResult { mergeId: string; restored: string[]; linksRestored: number; linksKept: number }

/**
 * Undoes a merge: the merged entities come back as they were, every link and citation the merge
 * touched goes back to its ends and its evidence (plus citations added since), links added to the
 * survivor since stay on it, and survivor fields edited since keep their edit. A later merge
 * involving the survivor must be undone first.
 */
export async function unmergeEntities(ex: Executor, mergeId: string, actor: string, clearance: Tlp): Promise<UnmergeResult> {
  return ex.write(async (tx) => {
    const [rec] = await ex.run<MergeRecordView & { snapshot: string }>(tx,
      `MATCH (m:MergeRecord {id: $mergeId}) SET m.id = m.id RETURN ${RECORD_FIELDS}, m.snapshot AS snapshot`, { mergeId });
    if (!rec || rank(rec.tlp) > tlpRank(clearance)) throw new NotFound('merge', mergeId);
    if (rec.undoneAt) throw BadInput.field('mergeId', `merge ${mergeId} was already undone (${rec.undoneAt})`);
    const [later] = await ex.run<{ id: string }>(tx,
      `MATCH (m:MergeRecord) WHERE m.undoneAt IS NULL AND m.at >= $at AND m.id <> $mergeId AND (m.into = $into OR $into IN m.from)
       RETURN m.id AS id ORDER BY m.at DESC LIMIT 1`, { at: rec.at, mergeId, into: rec.into });
    if (later) throw BadInput.field('mergeId', `the survivor ${JSON.stringify(rec.into)} took part in a later merge (${later.id}); undo that one first`);
    const [survivor] = await ex.run<{ props: Record<string, unknown> }>(tx, 'MATCH (n:Entity {id: $id}) SET n.id = n.id RETURN properties(n) AS props', { id: rec.into });
    if (!survivor) throw BadInput.field('mergeId', `the survivor ${JSON.stringify(rec.into)} no longer exists; the merge cannot be undone`);
    if (rank(survivor.props.tlp) > tlpRank(clearance)) throw new NotFound('merge', mergeId);
    const clash = await ex.run<{ id: string }>(tx, 'MATCH (n:Entity) WHERE n.id IN $from RETURN n.id AS id', { from: rec.from });
    if (clash.length) throw BadInput.field('mergeId', `an entity with the merged id ${JSON.stringify(clash[0].id)} was created since; the merge cannot be undone`);
    const snap = JSON.parse(rec.snapshot) as Snapshot;

    // Current state of every link the merge left standing.
    const standing = snap.links.filter((c) => c.after).map((c) => c.after!);
    const current = new Map<string, LinkState>();
    for (const type of new Set(standing.map((l) => l.type))) {
      const rows = await ex.run<LinkState>(tx,
        `UNWIND $ids AS id MATCH (a:Entity)-[r:${relTypeOf(type)} {id: id}]->(b:Entity) SET r.id = r.id
         RETURN type(r) AS type, r.id AS id, a.id AS from, b.id AS to, properties(r) AS props`,
        { ids: standing.filter((l) => l.type === type).map((l) => l.id) });
      for (const r of rows) current.set(`${r.type}|${r.id}`, r);
    }
    const restored: LinkState[] = [];
    for (const c of snap.links) {
      if (c.after) {
        const cur = current.get(`${c.after.type}|${c.after.id}`);
        if (!cur) continue; // deleted since (with its other end): nothing to put back
        restored.push({ ...c.before, props: restoreLinkProps(c.before.props, c.after.props, cur.props) });
      } else {
        restored.push(c.before);
      }
    }
    await deleteLinks(ex, tx, [...current.values()]);
    // The survivor: aliases and external ids three-way as sets, the other fields three-way.
    const sb = snap.survivor.before, sa = snap.survivor.after, sc = survivor.props;
    const aliases = listRestore(sb.aliases, sa.aliases, sc.aliases) as string[] ?? [];
    const externalIds = listRestore(sb.externalIds, sa.externalIds, sc.externalIds) as string[] | null;
    const scalar = fieldRestore(
      { tlp: sb.tlp, updatedAt: sb.updatedAt, updatedBy: sb.updatedBy },
      { tlp: sa.tlp, updatedAt: sa.updatedAt, updatedBy: sa.updatedBy },
      { tlp: sc.tlp, updatedAt: sc.updatedAt, updatedBy: sc.updatedBy });
    const same = (x: unknown, y: unknown) => JSON.stringify(x ?? null) === JSON.stringify(y ?? null);
    // Derived text fields exactly as before when the list is as before; recomputed otherwise.
    const aliasFields = same(aliases, sb.aliases ?? []) ? { aliases: sb.aliases ?? null, aliasText: sb.aliasText ?? null, aliasKeyText: sb.aliasKeyText ?? null } : aliasProps(aliases);
    const extFields = same(externalIds ?? [], sb.externalIds ?? [])
      ? { externalIds: sb.externalIds ?? null, externalIdText: sb.externalIdText ?? null }
      : { externalIds, externalIdText: externalIds?.length ? externalIdText(externalIds) : null };
    await ex.run(tx,
      `MATCH (n:Entity {id: $into}) SET n += $props`,
      { into: rec.into, props: { tlp: scalar.tlp ?? 'CLEAR', updatedAt: scalar.updatedAt ?? null, updatedBy: scalar.updatedBy ?? null, ...aliasFields, ...extFields } });
    await ex.run(tx,
      `MATCH (n:MergedEntity {mergeId: $mergeId}) REMOVE n:MergedEntity, n.mergedInto, n.mergeId SET n:Entity:${labelOf(rec.kind)}`, { mergeId });
    await createLinks(ex, tx, restored);
    await ex.run(tx, 'MATCH (j:Judgement {mergeId: $mergeId, verdict: "SAME"}) DELETE j', { mergeId });
    const now = new Date().toISOString();
    await ex.run(tx, 'MATCH (m:MergeRecord {id: $mergeId}) SET m.undoneAt = $now, m.undoneBy = $actor', { mergeId, now, actor });
    const result: UnmergeResult = { mergeId, restored: rec.from, linksRestored: restored.length, linksKept: 0 };
    result.linksKept = Number((await ex.run<{ n: number }>(tx, 'MATCH (n:Entity {id: $into})-[r]-() RETURN count(r) AS n', { into: rec.into }))[0]?.n ?? 0);
    await appendAudit(ex, tx, actor, [{ action: 'UNMERGE_ENTITIES', entityId: rec.into, entityIds: [rec.into, ...rec.from], after: result, tlp: rec.tlp }]);
    return result;
  });
}

/**
 * Where old ids went: each id of a merged entity, followed through later merges to the entity
 * that holds it now (only ids the caller may see, answered only when the survivor is visible).
 */
export async function resolveMergedIds(ex: Executor, ids: readonly string[], clearance: Tlp): Promise<Map<string, { survivor: string; mergeId: string }>> {
  const tlps = TLPS.filter((t) => tlpRank(t) <= tlpRank(clearance));
  const rows = await ex.read<{ id: string; survivor: string | null; mergeId: string }>(
    'UNWIND $ids AS id MATCH (m:MergedEntity {id: id}) WHERE m.tlp IN $tlps RETURN id, m.mergedInto AS survivor, m.mergeId AS mergeId', { ids, tlps });
  const out = new Map<string, { survivor: string; mergeId: string }>();
  for (const r of rows) {
    let survivor = r.survivor;
    // Follow chains (a survivor merged in turn), at most 20 steps.
    for (let i = 0; survivor && i < 20; i++) {
      const [next] = await ex.read<{ into: string | null; entity: boolean }>(
        'OPTIONAL MATCH (n:Entity {id: $id}) OPTIONAL MATCH (m:MergedEntity {id: $id}) RETURN n IS NOT NULL AS entity, m.mergedInto AS into', { id: survivor });
      if (!next || next.entity || !next.into) break;
      survivor = next.into;
    }
    const [visible] = survivor ? await ex.read<{ ok: boolean }>('MATCH (n:Entity {id: $id}) RETURN n.tlp IN $tlps AS ok', { id: survivor, tlps }) : [];
    if (survivor && visible?.ok) out.set(r.id, { survivor, mergeId: r.mergeId });
  }
  return out;
}
