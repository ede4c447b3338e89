// The deterministic synthetic graph generator (seed/synthetic.ts) behind `npm run seed --
// --synthetic` and the bench. No database.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { tlpRank, tripleAllowed, type EntityKind, type LinkType, type Tlp } from '../../model/model.js';
import { kindCounts, SIZES, syntheticRecords } from '../../seed/synthetic.js';

const digest = (size: 'XS', seed: number) => {
  const h = createHash('sha256');
  for (const r of syntheticRecords(size, seed)) h.update(JSON.stringify(r));
  return h.digest('hex');
};

describe('synthetic graph generator', () => {
  it('is deterministic for a seed and differs across seeds', () => {
    assert.equal(digest('XS', 3), digest('XS', 3));
    assert.notEqual(digest('XS', 3), digest('XS', 4));
  });

  it('has the expected counts and kind mix, only allowed triples, and a citation on every link', () => {
    const kinds = new Map<string, EntityKind>();
    const tlps = new Map<string, Tlp>();
    const byKind: Record<string, number> = {};
    const linkIds = new Set<string>();
    let links = 0;
    for (const r of syntheticRecords('XS', 1)) {
      if (r.record === 'entity') {
        assert.ok(!kinds.has(r.id as string), `entity ${r.id} once`);
        kinds.set(r.id as string, r.kind as EntityKind);
        tlps.set(r.id as string, r.tlp as Tlp);
        byKind[r.kind] = (byKind[r.kind] ?? 0) + 1;
        continue;
      }
      links++;
      const from = kinds.get(r.from);
      const to = kinds.get(r.to);
      assert.ok(from && to, `link ${r.id}: both ends come before it`);
      assert.ok(tripleAllowed(from, r.type as LinkType, to), `${from}-${r.type}->${to} is allowed`);
      assert.ok(r.citations.length >= 1, `link ${r.id} has a citation`);
      for (const c of r.citations) {
        assert.equal(kinds.get(c.source), 'SOURCE');
        assert.ok(tlpRank(r.tlp as Tlp) >= tlpRank(tlps.get(c.source)!), 'a link is at least as restricted as its sources');
      }
      linkIds.add(r.id as string);
    }
    assert.equal(kinds.size, SIZES.XS.nodes);
    assert.equal(links, SIZES.XS.links);
    assert.equal(linkIds.size, links);
    assert.deepEqual(byKind, kindCounts('XS'));
    assert.ok(byKind.PERSONA > byKind.CAMPAIGN && byKind.HOST > byKind.THREAT_GROUP && byKind.STATE_ACTOR <= 12);
    const tlpMix = [...tlps.values()].filter((t) => t === 'CLEAR' || t === 'GREEN').length / tlps.size;
    assert.ok(tlpMix > 0.7 && tlpMix < 1, `mostly CLEAR/GREEN, some AMBER/RED (${tlpMix})`);
  });
});
