// The co-action graph of a projection (coaction.ts), built once per projection, filter, clearance
// and graph version: Neo4j reads, within the caller's clearance and the filter, which members link
// to each shared neighbour (one pass over those links); the pairs are counted here. Counting the
// pairs in Cypher (grouping by node pair over every pair of every neighbour) was most of a cold
// `clusters` run: 16–47 s at S on a loaded machine. The result feeds GDS (gds.graph.project over
// integer node ids), the clusters' statistics and their top shared neighbours, so none of it is
// computed twice.
import neo4j from 'neo4j-driver';
import { projectionKey, incidenceCypher, type CoactionProjection } from './coaction.js';
import { fromDriverError, toCypherParams, type Executor } from './executor.js';
import type { FilterParams } from './filter.js';

/** A neighbour tying two or more members: its id and its members (indexes into `ids`). */
export interface SharedNeighbour { id: string; members: Int32Array }

export interface CoactionGraph {
  /** Member index → entity id, in id order: every member linked to a neighbour that ties (not only those with a tie kept). */
  ids: string[];
  /** The ties kept, a < b (member indexes), sorted by a then b; weight = shared neighbours, confidence 0–100. */
  ties: { a: Int32Array; b: Int32Array; w: Int32Array; c: Float64Array };
  /** Neighbours linked to 2…maxShared members: what ties them. */
  neighbours: SharedNeighbour[];
  /** Neighbours linked to more than maxShared members: hubs, left out (they tie no one). */
  hubsLeftOut: number;
}

/** One row of the incidence read: a neighbour, how many members link to it, and (unless a hub) those members as [id, firstSeen in epoch seconds or null, best confidence]. */
export interface IncidenceRow { z: string; n: number; ms: Array<[string, number | null, number]> | null }

/** Neo4j's percentileDisc over ascending `sorted` (its rule, so a cut matches the Cypher it replaces). */
export function percentileDisc(sorted: ArrayLike<number>, q: number): number | null {
  const n = sorted.length;
  if (!n) return null;
  if (q >= 1 || n === 1) return sorted[n - 1];
  const at = q * n;
  let i = Math.floor(at);
  if (at === i && i > 0) i--;
  return sorted[i];
}

/**
 * The ties of a projection from the incidence rows: a pair of members sharing a neighbour (both
 * linked to it within windowDays, when set) gains weight 1 per neighbour and the confidence of its
 * best neighbour (the lower of its two members' best link confidences to it). Then the minWeight
 * and percentile cuts.
 */
export function tiesOf(p: CoactionProjection, rows: IncidenceRow[]): CoactionGraph {
  const idSet = new Set<string>();
  let hubsLeftOut = 0;
  let slots = 0;
  for (const r of rows) {
    if (!r.ms) { hubsLeftOut++; continue; }
    for (const [id] of r.ms) idSet.add(id);
    slots += r.ms.length;
  }
  const ids = [...idSet].sort();
  const index = new Map(ids.map((id, i) => [id, i]));
  const n = ids.length;
  // Neighbour → its members, ascending, with each member's first link time and best confidence (CSR arrays).
  const neighbours: SharedNeighbour[] = [];
  const zStart = new Int32Array(rows.length - hubsLeftOut + 1);
  const slotMember = new Int32Array(slots);
  const slotT = new Float64Array(slots);
  const slotC = new Float64Array(slots);
  const slotZ = new Int32Array(slots);
  const perMember = new Int32Array(n + 1);
  let at = 0;
  for (const r of rows) {
    if (!r.ms) continue;
    const z = neighbours.length;
    zStart[z] = at;
    for (const [id, t, conf] of r.ms) {
      // Insertion sort by member index as the slots are written (a neighbour has at most maxShared members).
      const i = index.get(id)!;
      let s = at++;
      slotZ[s] = z;
      for (; s > zStart[z] && slotMember[s - 1] > i; s--) {
        slotMember[s] = slotMember[s - 1]; slotT[s] = slotT[s - 1]; slotC[s] = slotC[s - 1];
      }
      slotMember[s] = i; slotT[s] = t ?? Number.NaN; slotC[s] = conf; perMember[i + 1]++;
    }
    neighbours.push({ id: r.z, members: slotMember.slice(zStart[z], at) });
  }
  zStart[neighbours.length] = at;
  // Member → its slots (CSR), to walk each member's neighbours.
  for (let i = 0; i < n; i++) perMember[i + 1] += perMember[i];
  const memberSlots = new Int32Array(slots);
  const fill = perMember.slice(0, n);
  for (let s = 0; s < slots; s++) memberSlots[fill[slotMember[s]]++] = s;
  // Row by row (member a), the members b > a it shares neighbours with: weight and best confidence,
  // in dense arrays reset after each row (a sparse A·Aᵀ without a hash map).
  const window = p.windowDays === null ? null : p.windowDays * 86_400;
  const count = new Int32Array(n);
  const best = new Float64Array(n);
  const touched: number[] = [];
  const ta: number[] = [];
  const tb: number[] = [];
  const tw: number[] = [];
  const tc: number[] = [];
  for (let a = 0; a < n; a++) {
    for (let k = perMember[a]; k < perMember[a + 1]; k++) {
      const s = memberSlots[k];
      const t = slotT[s];
      if (window !== null && Number.isNaN(t)) continue;
      const conf = slotC[s];
      for (let u = s + 1; u < zStart[slotZ[s] + 1]; u++) {
        if (window !== null && !(Math.abs(t - slotT[u]) <= window)) continue;
        const b = slotMember[u];
        const c = Math.min(conf, slotC[u]);
        if (count[b] === 0) { touched.push(b); best[b] = c; } else if (c > best[b]) best[b] = c;
        count[b]++;
      }
    }
    touched.sort((x, y) => x - y);
    for (const b of touched) {
      if (count[b] >= p.minWeight) { ta.push(a); tb.push(b); tw.push(count[b]); tc.push(best[b]); }
      count[b] = 0;
    }
    touched.length = 0;
  }
  let keep: number[] | null = null;
  if (p.minPercentile !== null && tw.length) {
    const cut = percentileDisc(Int32Array.from(tw).sort(), p.minPercentile / 100)!;
    keep = [];
    for (let i = 0; i < tw.length; i++) if (tw[i] >= cut) keep.push(i);
  }
  const pick = (xs: number[]): number[] => (keep ? keep.map((i) => xs[i]) : xs);
  const ties = { a: Int32Array.from(pick(ta)), b: Int32Array.from(pick(tb)), w: Int32Array.from(pick(tw)), c: Float64Array.from(pick(tc)) };
  return { ids, ties, neighbours, hubsLeftOut };
}

/** A small LRU of co-action graphs: the methods and centrality asked of one projection share one. */
const graphs = new Map<string, Promise<CoactionGraph>>();
const MAX_GRAPHS = 4;
export const clearCoactionGraphs = (): void => graphs.clear();

/**
 * The co-action graph of `p` for filter `f` at graph version `version`, read once and kept (the
 * graph version is part of the key, so any write makes a new one). The read runs with the long
 * timeout of the GDS runs (4 × the executor's): it visits every member link of every neighbour.
 */
export function coactionGraph(ex: Executor, p: CoactionProjection, f: FilterParams, version: string): Promise<CoactionGraph> {
  const key = JSON.stringify([ex.settings.uri, ex.settings.database, version, projectionKey(p), f]);
  const hit = graphs.get(key);
  if (hit) { graphs.delete(key); graphs.set(key, hit); return hit; }
  const built = readIncidence(ex, p, f).then((rows) => tiesOf(p, rows));
  graphs.set(key, built);
  built.catch(() => graphs.delete(key));
  while (graphs.size > MAX_GRAPHS) graphs.delete(graphs.keys().next().value!);
  return built;
}

async function readIncidence(ex: Executor, p: CoactionProjection, f: FilterParams): Promise<IncidenceRow[]> {
  ex.queryCount++;
  const session = ex.driver.session({ database: ex.settings.database, defaultAccessMode: neo4j.session.READ });
  try {
    const r = await session.run(incidenceCypher(p), toCypherParams({ p, f }), { timeout: ex.timeoutMs * 4 });
    return r.records.map((x) => x.toObject() as IncidenceRow);
  } catch (e) {
    throw fromDriverError(e);
  } finally {
    await session.close();
  }
}

/** Cypher projecting `ties` (as $ties: [[a, b, weight, confidence]]) into the GDS graph $graph: undirected, integer node ids = member indexes. */
export const PROJECT_TIES = `UNWIND $ties AS t
  WITH gds.graph.project($graph, t[0], t[1],
    {relationshipProperties: {weight: toFloat(t[2]), confidence: toFloat(t[3])}},
    {undirectedRelationshipTypes: ['*']}) AS g
  RETURN g.nodeCount AS nodes`;

/** The ties as the $ties parameter of PROJECT_TIES. */
export function tieRows(g: CoactionGraph): number[][] {
  const { a, b, w, c } = g.ties;
  return Array.from(a, (x, i) => [x, b[i], w[i], c[i]]);
}
