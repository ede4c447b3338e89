// The table-mapping format and its evaluator: schema and model checks, transforms, conditions,
// citations, merging, bad rows. Pure: no database, no files but the shipped Meta mapping.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { projectRoot } from '../../core/config.js';
import { parseMapping, MappingError } from '../../api/tables/mapping.js';
import { Evaluator, defang, parseDate, slug, problemLine } from '../../api/tables/evaluate.js';
import { readTable, globToRegExp } from '../../api/tables/read-table.js';

const ATTRIBUTION = `
format: disinfo-tables/1
name: attribution
defaults: { confidence: 70 }
tables: { actors: { IR: iran, RU: russia } }
inputs:
  - files: '*.tsv'
    columns:
      actor: { from: country, then: [trim, upper, { lookup: actors }] }
      domain: { from: domain, then: [defang, lower] }
    entities:
      src: { kind: SOURCE, id: tracker, name: Attribution tracker, fields: { title: Attribution tracker } }
      campaign: { kind: CAMPAIGN, id: { from: operation, then: [slug, { prefix: op- }] }, name: '{operation}', required: true,
        aliases: { from: aka, then: [{ split: '|' }] }, fields: { firstSeen: { from: start, then: [{ date: M/D/YYYY }] } } }
      host: { kind: HOST, id: 'domain-{domain}', name: '{domain}', when: { domain: { empty: false } }, fields: { value: '{domain}', hostType: domain } }
    links:
      - { type: ATTRIBUTED_TO, from: campaign, to: { id: '{actor}', kind: STATE_ACTOR }, when: { confidence: '^\\d+$' }, confidence: '{confidence}' }
      - { type: USES, from: campaign, to: host }
    cite: { source: src }
`;

const TSV = 'operation\taka\tcountry \tconfidence\tstart\tdomain\n'
  + 'Endless Mayfly\tEM|Mayfly\tIR\t80\t5/14/2019\tjgtm[.]org\n'
  + 'Secondary Infektion\t\tru\t\t6/1/2019\t\n'
  + 'Endless Mayfly\tMayfly\tIR\t80\t5/14/2019\tholysouls[.]cc\n'
  + 'Broken\t\tIR\t80\t31/31/2019\t\n';

function run(mappingText: string, text: string, file = 'tracker.tsv') {
  const mapping = parseMapping(mappingText);
  const ev = new Evaluator(mapping);
  const table = readTable(text, file, mapping.inputs[0]);
  ev.add(mapping.inputs[0], table.info, table.rows);
  return ev.finish();
}

describe('table mappings: the format', () => {
  it('the schema names what is wrong, with its path', () => {
    assert.throws(() => parseMapping('format: disinfo-tables/1\nname: x\ninputs: []\n'), (e: MappingError) => /inputs must NOT have fewer than 1 items/.test(e.message));
    assert.throws(() => parseMapping(ATTRIBUTION.replace('kind: CAMPAIGN', 'kind: SPACESHIP')), /\/inputs\/0\/entities\/campaign\/kind must be equal to one of the allowed values/);
    assert.throws(() => parseMapping(ATTRIBUTION.replace('defaults:', 'extra: 1\ndefaults:')), /must NOT have additional properties \(extra\)/);
    assert.throws(() => parseMapping('{ not yaml: ['), /not YAML or JSON/);
  });

  it('the model check: fields of the kind, link ends, the cited source, lookup tables, regular expressions', () => {
    assert.throws(() => parseMapping(ATTRIBUTION.replace('fields: { value:', 'fields: { handle: x, value:')), /handle is not a field of HOST/);
    assert.throws(() => parseMapping(ATTRIBUTION.replace('from: campaign, to: host', 'from: campaign, to: hots')), /no entity "hots" in this input/);
    assert.throws(() => parseMapping(ATTRIBUTION.replace('cite: { source: src }', 'cite: { source: host }')), /must be a SOURCE, not HOST/);
    assert.throws(() => parseMapping(ATTRIBUTION.replace('lookup: actors', 'lookup: actorz')), /lookup table "actorz" is not in tables/);
    assert.throws(() => parseMapping(ATTRIBUTION.replace("'^\\\\d+$'", "'('").replace("{ split: '|' }", "{ regex: '(' }")), /bad regular expression/);
  });

  it('the shipped Meta mapping is valid', () => {
    const text = fs.readFileSync(path.join(projectRoot, 'mappings/meta-threat-research.yaml'), 'utf8');
    const m = parseMapping(text);
    assert.deepEqual(m.inputs.map((i) => i.name), ['reports', 'kill-chain', 'networks', 'ioc-lists']);
  });
});

describe('table mappings: transforms', () => {
  it('defang restores indicators', () => {
    assert.equal(defang('jgtm[.]org'), 'jgtm.org');
    assert.equal(defang('hxxps://twitter[.]com/handle'), 'https://twitter.com/handle');
    assert.equal(defang('info[at]holysouls[.]cc'), 'info@holysouls.cc');
    assert.equal(defang('45[.]141[.]152[.]19'), '45.141.152.19');
  });
  it('dates with a format, and reporting periods', () => {
    assert.equal(parseDate('5/14/2019', 'M/D/YYYY'), '2019-05-14');
    assert.equal(parseDate('2021-07-15', 'YYYY-MM-DD'), '2021-07-15');
    assert.throws(() => parseDate('31/31/2019', 'M/D/YYYY'), /not a real date/);
    assert.equal(parseDate('Q1 2023', 'period-start'), '2023-01-01');
    assert.equal(parseDate('Q2-3 2025', 'period-end'), '2025-09-30');
    assert.equal(parseDate('H1_2026', 'period-end'), '2026-06-30');
    assert.equal(parseDate('Q4 2024', 'period-end'), '2024-12-31');
  });
  it('slug and globs', () => {
    assert.equal(slug('Q2 2024 RUSSIA-BASED CIB NETWORK #1 '), 'q2-2024-russia-based-cib-network-1');
    assert.equal(slug('Türkiye'), 'turkiye');
    assert.ok(globToRegExp('indicators/csv/**/*.csv').test('indicators/csv/Q2_2023 /Q2 2023 x.csv'));
    assert.ok(globToRegExp('indicators/csv/**/*.csv').test('indicators/csv/a.csv'));
    assert.ok(!globToRegExp('indicators/csv/*.csv').test('indicators/csv/Q1/a.csv'));
  });
  it('CSV quirks: stray spaces in headers, a BOM, line breaks in cells, blank lines; row numbers are lines', () => {
    const t = readTable('\uFEFFTactic ,Procedure\n\n0 A,"0.6.1 x\ny"\n1 B,z\n', 'x.csv', { files: 'x.csv', entities: {}, cite: { source: 's' } });
    assert.deepEqual(t.info.columns, ['Tactic', 'Procedure']);
    assert.deepEqual(t.rows.map((r) => [r.n, r.cells.Tactic]), [[3, '0 A'], [5, '1 B']]);
  });
});

describe('table mappings: rows to records', () => {
  const ev = run(ATTRIBUTION, TSV);

  it('yields entities once per id, accumulating aliases, and links citing every row', () => {
    assert.deepEqual(ev.entities.map((e) => e.id).sort(), ['domain-holysouls.cc', 'domain-jgtm.org', 'op-endless-mayfly', 'op-secondary-infektion', 'tracker']);
    const mayfly = ev.entities.find((e) => e.id === 'op-endless-mayfly')!;
    assert.deepEqual(mayfly.aliases, ['EM', 'Mayfly']);
    assert.equal(mayfly.firstSeen, '2019-05-14');
    const attributed = ev.links.find((l) => l.type === 'ATTRIBUTED_TO')!;
    assert.equal(attributed.to, 'iran');
    assert.equal(attributed.confidence, 80);
    assert.deepEqual(attributed.citations.map((c) => c.locator), ['tracker.tsv:row 2', 'tracker.tsv:row 4']);
    assert.match(attributed.citations[0].quote!, /^Endless Mayfly\tEM\|Mayfly\tIR/);
    assert.equal(ev.links.filter((l) => l.type === 'USES').length, 2);
    assert.deepEqual([...ev.external], [['iran', 'STATE_ACTOR']]);
  });

  it('a condition that fails leaves the link out (no confidence given: not attributed)', () => {
    assert.ok(!ev.links.some((l) => l.from === 'op-secondary-infektion'));
  });

  it('a bad row is reported with file:row and reason, and none of it is kept', () => {
    assert.equal(ev.problems.length, 1);
    assert.match(problemLine(ev.problems[0]), /^tracker\.tsv:row 5: .*"31\/31\/2019" is not a real date/);
    assert.ok(!ev.entities.some((e) => e.id === 'op-broken'));
    assert.equal(ev.rows, 4);
    assert.equal(ev.used, 3);
  });

  it('the same rows give the same records (ids do not depend on the run)', () => {
    assert.deepEqual(run(ATTRIBUTION, TSV), ev);
  });

  it('a link the model does not allow makes the row bad', () => {
    const bad = run(ATTRIBUTION.replace('{ type: USES, from: campaign, to: host }', '{ type: TARGETS, from: campaign, to: host }'), TSV);
    assert.ok(bad.problems.some((p) => /CAMPAIGN -\[TARGETS\]-> HOST is not allowed/.test(p.reason)));
  });

  it('JSON arrays and JSON lines read as rows', () => {
    const mapping = parseMapping(ATTRIBUTION.replace("files: '*.tsv'", "files: '*.json*'"));
    const rows = [{ operation: 'Op A', country: 'IR', confidence: '60', start: '1/2/2020', domain: 'a[.]com' }];
    const a = readTable(JSON.stringify(rows), 'x.json', mapping.inputs[0]);
    const b = readTable(rows.map((r) => JSON.stringify(r)).join('\n'), 'x.jsonl', mapping.inputs[0]);
    assert.equal(a.rows[0].cells.domain, 'a[.]com');
    assert.deepEqual(b.rows.map((r) => r.n), [1]);
  });
});
