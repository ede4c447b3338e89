// Clusters an analyst keeps: named, annotated, and — after review, never automatically — promoted
// to a campaign whose links to the members cite the evidence of their ties. A saved cluster is
// marked with the highest TLP of its members, so no one below that sees it; only the analyst who
// saved it (or an admin) renames, annotates or promotes it. Every change is audited.
import { randomUUID } from 'node:crypto';
import type { Node, Relationship } from 'neo4j-driver';
import { BadInput, Forbidden, NotFound } from '../../core/errors.js';
import type { LinkInput } from '../../core/validate.js';
import { TLPS, tlpRank, tripleAllowed, type EntityKind, type Tlp } from '../../model/model.js';
import { appendAudit } from './audit.js';
import { coactionFilter, evidenceCypher, resolveProjection, type ProjectionInput } from './coaction.js';
import type { Executor } from './executor.js';
import { toLink } from './records.js';
import { writeBatchInTx } from './write-graph.js';

export interface SavedClusterRecord {
  id: string; name: string; note: string | null; members: string[]; projection: string; tlp: Tlp;
  owner: string; ownerKeyId: string | null; createdAt: string; updatedAt: string; campaignId: string | null;
}
export interface Writer { actor: string; keyId: string | null; clearance: Tlp; admin: boolean }

const toSaved = (n: Node): SavedClusterRecord => {
  const p = n.properties as Record<string, unknown>;
  return {
    id: p.id as string, name: p.name as string, note: (p.note as string | null) ?? null, members: p.members as string[],
    projection: p.projection as string, tlp: p.tlp as Tlp, owner: p.owner as string, ownerKeyId: (p.ownerKeyId as string | null) ?? null,
    createdAt: p.createdAt as string, updatedAt: p.updatedAt as string, campaignId: (p.campaignId as string | null) ?? null,
  };
};

function checkName(name: string): void {
  if (!name.trim() || name.length > 200) throw BadInput.field('name', 'must be 1 to 200 characters');
}
function checkNote(note: string | null | undefined): void {
  if (note && note.length > 10_000) throw BadInput.field('note', 'must be at most 10,000 characters');
}

/** Saves a cluster (its members as found, the projection that found them). Members must all be visible. */
export async function saveCluster(
  ex: Executor, input: { name: string; note?: string | null; members: string[]; projection?: ProjectionInput | null }, w: Writer,
): Promise<SavedClusterRecord> {
  checkName(input.name);
  checkNote(input.note);
  const members = [...new Set(input.members)].sort();
  if (members.length < 2 || members.length > 5_000) throw BadInput.field('members', 'name 2 to 5,000 entities');
  const projection = JSON.stringify(resolveProjection(input.projection));
  return ex.write(async (tx) => {
    const seen = await ex.run<{ id: string; tlp: Tlp }>(tx, 'MATCH (n:Entity) WHERE n.id IN $ids AND n.tlp IN $tlps RETURN n.id AS id, n.tlp AS tlp',
      { ids: members, tlps: TLPS.slice(0, tlpRank(w.clearance) + 1) });
    const found = new Set(seen.map((r) => r.id));
    const missing = members.find((m) => !found.has(m));
    if (missing) throw new NotFound('entity', missing);
    const tlp = TLPS[Math.max(...seen.map((r) => tlpRank(r.tlp)))];
    const now = new Date().toISOString();
    const [row] = await ex.run<{ c: Node }>(tx, `CREATE (c:SavedCluster {id: $id, name: $name, note: $note, members: $members, projection: $projection,
        tlp: $tlp, owner: $owner, ownerKeyId: $keyId, createdAt: $now, updatedAt: $now}) RETURN c`,
    { id: `cluster-${randomUUID()}`, name: input.name.trim(), note: input.note ?? null, members, projection, tlp, owner: w.actor, keyId: w.keyId, now });
    const saved = toSaved(row.c);
    await appendAudit(ex, tx, w.actor, [{ action: 'SAVE_CLUSTER', entityId: null, entityIds: members, after: { id: saved.id, name: saved.name }, tlp }]);
    return saved;
  });
}

/** The saved clusters the caller may see, newest first. */
export async function savedClusters(ex: Executor, clearance: Tlp, first: number): Promise<SavedClusterRecord[]> {
  const rows = await ex.read<{ c: Node }>('MATCH (c:SavedCluster) WHERE c.tlp IN $tlps RETURN c ORDER BY c.updatedAt DESC, c.id LIMIT $first',
    { tlps: TLPS.slice(0, tlpRank(clearance) + 1), first });
  return rows.map((r) => toSaved(r.c));
}

/** Reads a saved cluster for a change: NOT_FOUND when the caller cannot see it, FORBIDDEN unless they saved it or are an admin. */
async function forChange(ex: Executor, tx: Parameters<Parameters<Executor['write']>[0]>[0], id: string, w: Writer): Promise<SavedClusterRecord> {
  const [row] = await ex.run<{ c: Node }>(tx, 'MATCH (c:SavedCluster {id: $id}) WHERE c.tlp IN $tlps SET c.lockedAt = c.updatedAt RETURN c',
    { id, tlps: TLPS.slice(0, tlpRank(w.clearance) + 1) });
  if (!row) throw new NotFound('cluster', id);
  const c = toSaved(row.c);
  if (!w.admin && (c.ownerKeyId ?? null) !== w.keyId) throw new Forbidden('Only the analyst who saved this cluster, or an admin, may change it.');
  return c;
}

/** Renames and/or annotates a saved cluster (a field left out stays; note null clears it). */
export async function annotateCluster(ex: Executor, id: string, patch: { name?: string | null; note?: string | null }, w: Writer): Promise<SavedClusterRecord> {
  if (patch.name !== undefined && patch.name !== null) checkName(patch.name);
  checkNote(patch.note);
  return ex.write(async (tx) => {
    const before = await forChange(ex, tx, id, w);
    const [row] = await ex.run<{ c: Node }>(tx, `MATCH (c:SavedCluster {id: $id})
      SET c.name = coalesce($name, c.name), c.note = CASE WHEN $setNote THEN $note ELSE c.note END, c.updatedAt = $now RETURN c`,
    { id, name: patch.name?.trim() ?? null, setNote: patch.note !== undefined, note: patch.note ?? null, now: new Date().toISOString() });
    await appendAudit(ex, tx, w.actor, [{ action: 'ANNOTATE_CLUSTER', entityId: null, entityIds: before.members,
      before: { name: before.name, note: before.note }, after: { name: patch.name ?? before.name, note: patch.note === undefined ? before.note : patch.note }, tlp: before.tlp }]);
    return toSaved(row.c);
  });
}

/**
 * Promotes a reviewed cluster to a campaign: the campaign, and a link from it to each member
 * (USES for personas and hosts, RELATED_TO for campaigns) citing the citations of that member's
 * links to the neighbours it shares with other members (the tie evidence), with the highest
 * confidence and TLP of those links. One transaction: all of it is written, or nothing.
 */
export async function promoteCluster(ex: Executor, id: string, campaign: { id: string; name: string }, w: Writer): Promise<{ cluster: SavedClusterRecord; links: number }> {
  checkName(campaign.name);
  return ex.write(async (tx) => {
    const c = await forChange(ex, tx, id, w);
    if (c.campaignId) throw BadInput.field('id', `cluster ${id} was already promoted to ${c.campaignId}`);
    const projection = resolveProjection(JSON.parse(c.projection) as ProjectionInput);
    const rows = await ex.run<{ member: string; kind: EntityKind; r: Relationship; from: string; to: string }>(tx, evidenceCypher(projection),
      { ids: c.members, p: projection, f: coactionFilter(w.clearance, null) });
    const byMember = new Map<string, { kind: EntityKind; links: ReturnType<typeof toLink>[] }>();
    for (const r of rows) {
      const m = byMember.get(r.member) ?? { kind: r.kind, links: [] };
      m.links.push(toLink(r.r, r.from, r.to));
      byMember.set(r.member, m);
    }
    const links: LinkInput[] = [];
    for (const [member, { kind, links: evidence }] of byMember) {
      const type = tripleAllowed('CAMPAIGN', 'USES', kind) ? 'USES' : tripleAllowed('CAMPAIGN', 'RELATED_TO', kind) ? 'RELATED_TO' : null;
      const citations = [...new Map(evidence.flatMap((l) => l.citations).map((x) => [`${x.source}\u0000${x.locator ?? ''}`, x])).values()].slice(0, 50);
      if (!type || member === campaign.id || !citations.length) continue;
      links.push({
        type, from: campaign.id, to: member, confidence: Math.max(...evidence.map((l) => l.confidence)),
        tlp: TLPS[Math.max(...evidence.map((l) => tlpRank(l.tlp)))],
        description: `Promoted from cluster "${c.name}" (${id}): shares ${evidence.length} evidenced link(s) with other members.`,
        citations: citations.map((x) => ({ source: x.source, locator: x.locator, quote: x.quote })),
      });
    }
    if (!links.length) throw new BadInput(`Cluster ${id} has no tie evidence the caller can see; nothing was written.`, { field: 'id' });
    await writeBatchInTx(ex, tx, [{ id: campaign.id, kind: 'CAMPAIGN', name: campaign.name, tlp: c.tlp, description: c.note ?? `Promoted from cluster "${c.name}".` }],
      links, { actor: w.actor, audit: 'items', clearance: w.clearance });
    const [row] = await ex.run<{ c: Node }>(tx, 'MATCH (c:SavedCluster {id: $id}) SET c.campaignId = $campaign, c.updatedAt = $now RETURN c',
      { id, campaign: campaign.id, now: new Date().toISOString() });
    await appendAudit(ex, tx, w.actor, [{ action: 'PROMOTE_CLUSTER', entityId: campaign.id, entityIds: c.members, after: { cluster: id, campaign: campaign.id }, tlp: c.tlp }]);
    return { cluster: toSaved(row.c), links: links.length };
  });
}
