// Analysts' judgements on candidate pairs: SAME, DIFFERENT or UNSURE, one per unordered pair,
// kept as (:Judgement) nodes (not entities: no entity query sees them). DIFFERENT pairs are never
// proposed again; the whole set exports to a file an analyst keeps in git and imports back
// (docs/resolution.md).
import { BadInput, NotFound } from '../../core/errors.js';
import { tlpRank, type Tlp } from '../../model/model.js';
import type { Executor, Tx } from './executor.js';
import { appendAudit } from './audit.js';
import { visibleTlps } from './filter.js';

export const VERDICTS = ['SAME', 'DIFFERENT', 'UNSURE'] as const;
export type Verdict = (typeof VERDICTS)[number];

/** One key per unordered pair. */
export const pairKey = (a: string, b: string): string => (a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`);

export interface JudgementRecord {
  a: string; b: string; verdict: Verdict; note: string | null; at: string; actor: string;
  /** For SAME: the survivor the merge kept, so an import merges the same way round. */
  into?: string | null;
}

/** The verdicts already given on these pairs. */
export async function judgedPairs(ex: Executor, keys: string[]): Promise<Map<string, Verdict>> {
  if (!keys.length) return new Map();
  const rows = await ex.read<{ key: string; verdict: Verdict }>(
    'UNWIND $keys AS key MATCH (j:Judgement {key: key}) RETURN key, j.verdict AS verdict', { keys });
  return new Map(rows.map((r) => [r.key, r.verdict]));
}

/** Writes one judgement inside a transaction (replacing the pair's earlier one). */
export async function putJudgement(ex: Executor, tx: Tx, j: JudgementRecord & { mergeId?: string | null }): Promise<void> {
  const [a, b] = j.a < j.b ? [j.a, j.b] : [j.b, j.a];
  await ex.run(tx,
    `MERGE (j:Judgement {key: $key})
     SET j.a = $a, j.b = $b, j.verdict = $verdict, j.note = $note, j.at = $at, j.actor = $actor, j.into = $into, j.mergeId = $mergeId`,
    { key: pairKey(a, b), a, b, verdict: j.verdict, note: j.note ?? null, at: j.at, actor: j.actor, into: j.into ?? null, mergeId: j.mergeId ?? null });
}

/**
 * judgeCandidate: both entities must exist and be visible to the caller (a hidden one answers
 * NOT_FOUND, as if absent); a pair is judged once, a new verdict replaces the old. Audited.
 */
export async function judgeCandidate(
  ex: Executor, args: { a: string; b: string; verdict: Verdict; note?: string | null }, actor: string, clearance: Tlp,
): Promise<JudgementRecord> {
  if (args.a === args.b) throw BadInput.field('b', 'must name another entity than a');
  if ((args.note?.length ?? 0) > 2000) throw BadInput.field('note', 'at most 2,000 characters');
  return ex.write(async (tx) => {
    const rows = await ex.run<{ id: string; tlp: Tlp }>(tx, 'MATCH (n:Entity) WHERE n.id IN $ids RETURN n.id AS id, n.tlp AS tlp', { ids: [args.a, args.b] });
    for (const field of ['a', 'b'] as const) {
      const r = rows.find((x) => x.id === args[field]);
      if (!r || tlpRank(r.tlp ?? 'CLEAR') > tlpRank(clearance)) throw new NotFound('entity', args[field]);
    }
    const rec: JudgementRecord = { a: args.a, b: args.b, verdict: args.verdict, note: args.note ?? null, at: new Date().toISOString(), actor };
    await putJudgement(ex, tx, rec);
    const tlp = rows.map((r) => r.tlp ?? 'CLEAR').sort((x, y) => tlpRank(y) - tlpRank(x))[0];
    await appendAudit(ex, tx, actor, [{ action: 'JUDGE_CANDIDATE', entityId: args.a, entityIds: [args.a, args.b], after: rec, tlp }]);
    return rec;
  });
}

/** The judgements on pairs the caller can see whole (both entities visible, or merged away into a visible one). */
export async function listJudgements(ex: Executor, clearance: Tlp): Promise<JudgementRecord[]> {
  const rows = await ex.read<JudgementRecord>(
    `MATCH (j:Judgement)
     WHERE all(id IN [j.a, j.b] WHERE EXISTS { MATCH (n:Entity {id: id}) WHERE n.tlp IN $tlps } OR EXISTS { MATCH (n:MergedEntity {id: id}) WHERE n.tlp IN $tlps })
     RETURN j.a AS a, j.b AS b, j.verdict AS verdict, j.note AS note, j.at AS at, j.actor AS actor, j.into AS into
     ORDER BY a, b`, { tlps: visibleTlps(clearance) });
  return rows;
}

/** The file format: stable order and keys, so that git diffs show judgements, not noise. */
export interface JudgementFile { format: 'disinfo-judgements/1'; judgements: JudgementRecord[] }

export function judgementFile(list: JudgementRecord[]): JudgementFile {
  const judgements = [...list]
    .map((j) => ({ a: j.a, b: j.b, verdict: j.verdict, ...(j.into ? { into: j.into } : {}), note: j.note ?? null, at: j.at, actor: j.actor }))
    .sort((x, y) => (x.a < y.a ? -1 : x.a > y.a ? 1 : x.b < y.b ? -1 : x.b > y.b ? 1 : 0));
  return { format: 'disinfo-judgements/1', judgements };
}

/** Checks a parsed file; problems name the entry and field. */
export function checkJudgementFile(data: unknown): { file: JudgementFile | null; problems: string[] } {
  const problems: string[] = [];
  const d = data as Partial<JudgementFile> | null;
  if (!d || typeof d !== 'object' || d.format !== 'disinfo-judgements/1') return { file: null, problems: ['format: must be "disinfo-judgements/1"'] };
  if (!Array.isArray(d.judgements)) return { file: null, problems: ['judgements: must be a list'] };
  d.judgements.forEach((j, i) => {
    if (!j || typeof j.a !== 'string' || typeof j.b !== 'string' || !j.a || !j.b || j.a === j.b) problems.push(`judgements[${i}]: a and b must be two different entity ids`);
    else if (!(VERDICTS as readonly string[]).includes(j.verdict)) problems.push(`judgements[${i}].verdict: must be one of ${VERDICTS.join(' ')}`);
    else if (j.into != null && j.into !== j.a && j.into !== j.b) problems.push(`judgements[${i}].into: must be a or b`);
  });
  return { file: problems.length ? null : (d as JudgementFile), problems };
}

/** Stores a file's judgements (the file wins over what is stored for the same pair); one audit record. */
export async function importJudgements(ex: Executor, file: JudgementFile, actor: string): Promise<number> {
  return ex.write(async (tx) => {
    for (const j of file.judgements) await putJudgement(ex, tx, { ...j, at: j.at ?? new Date().toISOString(), actor: j.actor ?? actor });
    await appendAudit(ex, tx, actor, [{ action: 'IMPORT_JUDGEMENTS', entityId: null, entityIds: [], after: { count: file.judgements.length }, tlp: 'RED' }]);
    return file.judgements.length;
  });
}

export { VERDICTS as JUDGEMENT_VERDICTS };
