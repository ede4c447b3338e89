// How search normalises names and builds its Lucene query (no database): punctuation, apostrophes
// and accents, Lucene syntax kept out, kind and clearance clauses inside the query.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { searchKey } from '../../core/validate.js';
import { searchLuceneQuery } from '../../api/store/read-graph.js';

describe('search keys and the index query', () => {
  it('normalises names: case, accents, apostrophes and punctuation', () => {
    assert.equal(searchKey("Robert O'Brien"), 'robert o brien');
    assert.equal(searchKey('Robert O’Brien'), 'robert o brien');
    assert.equal(searchKey('  Curaçao  '), 'curacao');
    assert.equal(searchKey("Petr Tolstoy's …"), 'petr tolstoy s');
    assert.equal(searchKey('RT (Russia Today)'), 'rt russia today');
    assert.equal(searchKey('إيران'), searchKey('ايران'));
    assert.equal(searchKey('!!!'), '');
  });

  it('keeps Lucene syntax out: only words reach the query', () => {
    for (const text of ['Russia AND (', 'name:Russia*', '"Ukraine', "O'Brien~2 ^3 \\", '[* TO *]', 'a/b{c}']) {
      const q = searchLuceneQuery(text, null, null)!;
      const words = q.replace(/\b(nameKey|aliasKeyText|description):/g, '').replace(/\^\d|\*| OR | AND |[()]/g, ' ');
      assert.match(words, /^[\p{L}\p{N} ]+$/u, `${text} → ${q}`);
    }
    assert.equal(searchLuceneQuery(' ?! ', null, null), null);
    assert.throws(() => searchLuceneQuery('x'.repeat(301), null, null), /at most 300/);
  });

  it('puts kinds and clearance inside the query, weighing nothing', () => {
    const q = searchLuceneQuery('Ukraine', ['TARGET_GROUP', 'HOST'], ['CLEAR', 'GREEN'])!;
    assert.ok(q.includes('(kind:"target_group" OR kind:"host")^0'), q);
    assert.ok(q.endsWith('(tlp:"clear" OR tlp:"green")^0'), q);
    assert.ok(searchLuceneQuery('Curaçao', null, null)!.includes('description:curaçao*'), 'the description is also searched as typed');
  });
});
