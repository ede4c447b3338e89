// Loads generated records straight into the test database with UNWIND … CREATE, several times
// faster than the bulk loader: for tests that need a large graph's shape (entities with their kind,
// name and TLP; links with type, confidence, TLP, assertion and canonical dates) but not its
// evidence. Links carry no citations. Kinds and link types pass the model's lists before reaching
// Cypher; values are parameters.
import type { GraphRecord } from '../api/store/bulk-load.js';
import type { Executor } from '../api/store/executor.js';
import { labelOf, relTypeOf } from '../model/model.js';

const canonical = (d: unknown): string | null => (typeof d === 'string' && d ? new Date(d).toISOString() : null);

export async function directLoad(ex: Executor, records: Iterable<GraphRecord>, batch = 10_000): Promise<{ entities: number; links: number }> {
  const entities = new Map<string, Array<Record<string, unknown>>>();
  const links = new Map<string, Array<Record<string, unknown>>>();
  let ne = 0;
  let nl = 0;
  const flush = async (force: boolean) => {
    for (const [kind, rows] of entities) {
      if (!rows.length || (!force && rows.length < batch)) continue;
      await ex.write((tx) => ex.run(tx, `UNWIND $rows AS row CREATE (n:Entity:${labelOf(kind)}) SET n = row`, { rows }));
      entities.set(kind, []);
    }
    if (!force) return;
    for (const [type, rows] of links) {
      for (let i = 0; i < rows.length; i += batch) {
        await ex.write((tx) => ex.run(tx, `UNWIND $rows AS row MATCH (a:Entity {id: row.from}), (b:Entity {id: row.to})
          CREATE (a)-[r:${relTypeOf(type)}]->(b) SET r = row.props`, { rows: rows.slice(i, i + batch) }));
      }
    }
    links.clear();
  };
  for (const rec of records) {
    if (rec.record === 'entity') {
      const { id, kind, name, tlp } = rec;
      if (!entities.has(kind)) entities.set(kind, []);
      entities.get(kind)!.push({ id, kind, name, tlp: tlp ?? 'CLEAR' });
      ne++;
      if (entities.get(kind)!.length >= batch) await flush(false);
    } else {
      if (!links.has(rec.type)) links.set(rec.type, []);
      links.get(rec.type)!.push({ from: rec.from, to: rec.to, props: {
        id: rec.id, confidence: rec.confidence, tlp: rec.tlp ?? 'CLEAR', assertion: rec.assertion ?? 'AFFIRMED',
        firstSeen: canonical(rec.firstSeen), lastSeen: canonical(rec.lastSeen),
      } });
      nl++;
    }
  }
  // The entities left, then every link (links need their ends).
  await flush(true);
  return { entities: ne, links: nl };
}
