// reviewDraft: the analyst's decisions on a draft, item by item or all at once. ACCEPT (with
// optional edits: kind and name of an entity, type, confidence and assertion of a link), MERGE (a
// new entity is an existing one: its links go to that one), REJECT. What is accepted is written
// through the normal audited write path (writeBatch, clearance-checked, all or nothing) in the same
// transaction as the draft's new state; every link cites the report's paragraph and sentence.
import { BadInput } from '../../core/errors.js';
import { derivedId, type EntityInput, type LinkInput } from '../../core/validate.js';
import { ASSERTIONS, KIND_FIELDS, isEntityKind, isLinkType, tripleAllowed, type Assertion, type EntityKind } from '../../model/model.js';
import { updateDraft, type DraftRecord, type DraftViewer } from '../store/drafts.js';
import type { Executor, Tx } from '../store/executor.js';
import { visibleTlps } from '../store/filter.js';
import { writeBatchInTx } from '../store/write-graph.js';
import type { DraftContent, ReviewStatus } from './ingest.js';

export type ReviewAction = 'ACCEPT' | 'REJECT' | 'MERGE';

export interface ReviewDecision {
  key: string;
  action: ReviewAction;
  kind?: string | null;
  name?: string | null;
  type?: string | null;
  confidence?: number | null;
  assertion?: string | null;
  into?: string | null;
}

export interface ReviewResult {
  draft: DraftRecord;
  accepted: number;
  rejected: number;
  merged: number;
  entitiesCreated: number;
  linksCreated: number;
  linksUpdated: number;
}

const bad = (field: string, message: string) => BadInput.field(field, message);

/** The id a new entity gets: the one writeBatch derives for a record without id (kind and name). */
const newEntityId = (kind: EntityKind, name: string) => derivedId(kind.toLowerCase().replace('_', '-'), kind, name.trim().toLowerCase());

async function visibleKind(ex: Executor, tx: Tx, id: string, v: DraftViewer): Promise<EntityKind | null> {
  const rows = await ex.run<{ kind: EntityKind }>(tx, `MATCH (e:Entity {id: $id}) WHERE coalesce(e.tlp, 'CLEAR') IN $tlps RETURN e.kind AS kind`, { id, tlps: visibleTlps(v.clearance) });
  return rows[0]?.kind ?? null;
}

export async function reviewDraft(ex: Executor, id: string, decisions: ReviewDecision[], all: ReviewAction | null, v: DraftViewer): Promise<ReviewResult> {
  if (all === 'MERGE') throw bad('all', 'MERGE needs an entity to merge into: give it per item');
  if (decisions.length === 0 && !all) throw bad('decisions', 'give decisions, or all: ACCEPT or REJECT');
  const { draft, result } = await updateDraft(ex, id, v, async (record, tx) => {
    const content = structuredClone(record.content) as DraftContent;
    const entities = new Map(content.entities.map((e) => [e.key, e]));
    const links = new Map(content.links.map((l) => [l.key, l]));
    const seen = new Set<string>();
    const counts = { accepted: 0, rejected: 0, merged: 0 };
    const newEntities: EntityInput[] = [];

    // Entities first: a link's ends must be settled before the link.
    const entityDecisions = decisions.map((d, i) => ({ d, i })).filter(({ d }) => entities.has(d.key));
    const linkDecisions = decisions.map((d, i) => ({ d, i })).filter(({ d }) => links.has(d.key));
    decisions.forEach((d, i) => {
      if (!entities.has(d.key) && !links.has(d.key)) throw bad(`decisions[${i}].key`, `no item ${JSON.stringify(d.key)} in draft ${id}`);
      if (seen.has(d.key)) throw bad(`decisions[${i}].key`, `${d.key} decided twice`);
      seen.add(d.key);
      const item = entities.get(d.key) ?? links.get(d.key)!;
      if (item.status !== 'PENDING') throw bad(`decisions[${i}].key`, `${d.key} is already ${item.status}`);
    });
    const implied: { d: ReviewDecision; i: number }[] = all ? [...entities.values()].filter((e) => e.status === 'PENDING' && !seen.has(e.key)).map((e) => ({ d: { key: e.key, action: all }, i: -1 })) : [];
    for (const { d, i } of [...entityDecisions, ...implied]) {
      const e = entities.get(d.key)!;
      const field = (f: string) => (i >= 0 ? `decisions[${i}].${f}` : 'all');
      if (d.action === 'REJECT') { e.status = 'REJECTED'; counts.rejected++; continue; }
      if (d.action === 'MERGE') {
        if (e.match === 'EXISTING') throw bad(field('action'), `${d.key} is already an existing entity (${e.entityId ?? ''}): accept or reject it`);
        if (!d.into) throw bad(field('into'), 'MERGE needs the id of an existing entity');
        const kind = await visibleKind(ex, tx, d.into, v);
        if (!kind) throw bad(field('into'), `no entity ${JSON.stringify(d.into)}`);
        e.status = 'MERGED'; e.writtenId = d.into; e.kind = kind; counts.merged++;
        continue;
      }
      if (d.kind != null) {
        if (!isEntityKind(d.kind) || d.kind === 'SOURCE') throw bad(field('kind'), `${JSON.stringify(d.kind)} is not an entity kind a report can propose`);
        if (e.match === 'EXISTING' && d.kind !== e.kind) throw bad(field('kind'), `${d.key} is an existing entity: its kind is changed on the entity itself`);
        e.kind = d.kind;
      }
      if (d.name != null) {
        if (!d.name.trim() || d.name.length > 1_000) throw bad(field('name'), 'a non-empty name of at most 1,000 characters');
        if (e.match === 'EXISTING') throw bad(field('name'), `${d.key} is an existing entity: rename it on the entity itself`);
        e.name = d.name.trim();
      }
      e.status = 'ACCEPTED'; counts.accepted++;
      if (e.match === 'EXISTING') { e.writtenId = e.entityId; continue; }
      e.writtenId = newEntityId(e.kind, e.name);
      const fields = Object.fromEntries(Object.entries(e.fields).filter(([f]) => f in KIND_FIELDS[e.kind]));
      newEntities.push({
        id: e.writtenId, kind: e.kind, name: e.name, tlp: record.tlp, ...fields,
        description: `Proposed from "${record.title}" (${[...new Set(e.mentions.map((m) => m.locator))].join(', ')}): ${e.why}.`,
      });
    }

    const newLinks: LinkInput[] = [];
    const acceptedLinks: DraftContent['links'] = [];
    const impliedLinks: { d: ReviewDecision; i: number }[] = all ? [...links.values()].filter((l) => l.status === 'PENDING' && !seen.has(l.key)).map((l) => ({ d: { key: l.key, action: all }, i: -1 })) : [];
    for (const { d, i } of [...linkDecisions, ...impliedLinks]) {
      const l = links.get(d.key)!;
      const field = (f: string) => (i >= 0 ? `decisions[${i}].${f}` : 'all');
      if (d.action === 'MERGE') throw bad(field('action'), 'links are accepted or rejected, not merged');
      if (d.action === 'REJECT') { l.status = 'REJECTED'; counts.rejected++; continue; }
      const ends = [entities.get(l.from)!, entities.get(l.to)!];
      const unsettled = ends.find((e) => !(e.status === 'ACCEPTED' || e.status === 'MERGED' || (e.match === 'EXISTING' && e.status !== 'REJECTED')));
      if (unsettled) {
        // Accepting everything leaves out links to what was rejected; asked for by name, that is an error.
        if (i < 0) { l.status = 'REJECTED'; counts.rejected++; continue; }
        throw bad(field('key'), `link ${l.key} needs its end ${unsettled.key} ("${unsettled.name}") accepted or merged first (it is ${unsettled.status})`);
      }
      if (d.type != null) {
        if (!isLinkType(d.type)) throw bad(field('type'), `${JSON.stringify(d.type)} is not a link type`);
        l.type = d.type;
      }
      if (d.confidence != null) {
        if (!Number.isInteger(d.confidence) || d.confidence < 0 || d.confidence > 100) throw bad(field('confidence'), 'an integer from 0 to 100');
        l.confidence = d.confidence;
      }
      if (d.assertion != null) {
        if (!(ASSERTIONS as readonly string[]).includes(d.assertion)) throw bad(field('assertion'), `one of ${ASSERTIONS.join(' ')}`);
        l.assertion = d.assertion as Assertion;
      }
      if (!tripleAllowed(ends[0].kind, l.type, ends[1].kind)) throw bad(field(d.type != null ? 'type' : 'key'), `${ends[0].kind} -[${l.type}]-> ${ends[1].kind} is not allowed by the model`);
      l.status = 'ACCEPTED'; counts.accepted++;
      acceptedLinks.push(l);
      newLinks.push({
        type: l.type, from: (ends[0].writtenId ?? ends[0].entityId)!, to: (ends[1].writtenId ?? ends[1].entityId)!, confidence: l.confidence, assertion: l.assertion, tlp: record.tlp,
        citations: l.evidence.map((x) => ({ source: record.sourceId, locator: x.locator, quote: x.quote, confidence: l.confidence })),
      });
    }
    const written = newEntities.length || newLinks.length
      ? await writeBatchInTx(ex, tx, newEntities, newLinks, { actor: v.actor, audit: 'items', clearance: v.clearance })
      : null;
    acceptedLinks.forEach((l, n) => { l.writtenId = written?.linkIds[n] ?? null; });
    const result = {
      ...counts,
      entitiesCreated: written?.entitiesCreated ?? 0, linksCreated: written?.linksCreated ?? 0, linksUpdated: written?.linksUpdated ?? 0,
    };
    const statusCount = (s: ReviewStatus) => content.entities.filter((e) => e.status === s).length + content.links.filter((l) => l.status === s).length;
    return { content, result, audit: { ...result, pending: statusCount('PENDING') } };
  });
  return { draft, ...result };
}
