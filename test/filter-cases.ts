// One table of filter cases: a filter, a caller's clearance, a link and its far end → is the link
// shown? test/unit/filter-rules.test.ts runs it against model/filter-rules.ts (the rules the viewer
// runs on what it draws) and test/integration/filter-semantics.test.ts against the API over Neo4j
// (GraphQL neighborhood of the link's near end), so a drift on either side fails. No imports of
// the database or the API here.
import type { FilterableEntity, FilterableLink, LinkFilter } from '../model/filter-rules.js';
import type { LinkType, Tlp } from '../model/model.js';

export interface FilterCase {
  name: string;
  filter: LinkFilter;
  /** The caller's clearance (RED when absent; CLEAR is an anonymous caller). */
  clearance?: Tlp;
  /** The link from a CLEAR campaign; absent fields: USES, confidence 50, CLEAR, AFFIRMED, undated. */
  link: Partial<FilterableLink> & { type?: LinkType };
  /** The link's far end (a CLEAR host when absent). */
  to?: FilterableEntity;
  /** Shown: the link and its far end pass. */
  passes: boolean;
}

export const LINK_DEFAULTS: FilterableLink = { type: 'USES', confidence: 50, tlp: 'CLEAR', assertion: 'AFFIRMED', firstSeen: null, lastSeen: null };
export const FAR_DEFAULT: FilterableEntity = { kind: 'HOST', tlp: 'CLEAR' };

const DAY = '2020-10-21';
const at = (time: string) => `${DAY}T${time}Z`;

export const FILTER_CASES: FilterCase[] = [
  // asOf: a bare day is the whole UTC day; a date-time is that instant, and equal passes.
  { name: 'asOf a day keeps a link first seen late that day', filter: { asOf: DAY }, link: { firstSeen: at('23:00:00.000') }, passes: true },
  { name: 'asOf a day keeps a link first seen at its last millisecond', filter: { asOf: DAY }, link: { firstSeen: at('23:59:59.999') }, passes: true },
  { name: 'asOf a day keeps a link first seen at its midnight', filter: { asOf: DAY }, link: { firstSeen: at('00:00:00.000') }, passes: true },
  { name: 'asOf a day drops a link first seen the next midnight', filter: { asOf: DAY }, link: { firstSeen: '2020-10-22T00:00:00.000Z' }, passes: false },
  { name: 'asOf an instant keeps a link first seen at that instant', filter: { asOf: at('12:00:00') }, link: { firstSeen: at('12:00:00.000') }, passes: true },
  { name: 'asOf an instant drops a link first seen a millisecond later', filter: { asOf: at('12:00:00') }, link: { firstSeen: at('12:00:00.001') }, passes: false },
  { name: 'asOf with an offset is that instant in UTC (kept)', filter: { asOf: `${DAY}T14:00:00+02:00` }, link: { firstSeen: at('12:00:00.000') }, passes: true },
  { name: 'asOf with an offset is that instant in UTC (dropped)', filter: { asOf: `${DAY}T14:00:00+02:00` }, link: { firstSeen: at('12:30:00.000') }, passes: false },
  { name: 'asOf keeps a link without firstSeen (lastSeen later)', filter: { asOf: DAY }, link: { lastSeen: '2021-01-01T00:00:00.000Z' }, passes: true },
  { name: 'asOf keeps an undated link', filter: { asOf: DAY }, link: {}, passes: true },
  { name: 'asOf ignores lastSeen: a link seen until before the day is kept', filter: { asOf: DAY }, link: { firstSeen: '2019-01-01T00:00:00.000Z', lastSeen: '2019-02-01T00:00:00.000Z' }, passes: true },
  // to: the same bound as asOf.
  { name: 'to a day keeps a link first seen late that day', filter: { to: DAY }, link: { firstSeen: at('23:00:00.000') }, passes: true },
  { name: 'to a day drops a link first seen the next day', filter: { to: DAY }, link: { firstSeen: '2020-10-22T00:00:00.000Z' }, passes: false },
  { name: 'to keeps a link without firstSeen', filter: { to: DAY }, link: { lastSeen: '2021-01-01T00:00:00.000Z' }, passes: true },
  { name: 'to a month keeps a link first seen on its last evening', filter: { to: '2020-10' }, link: { firstSeen: '2020-10-31T23:00:00.000Z' }, passes: true },
  { name: 'to a month drops a link first seen the next month', filter: { to: '2020-10' }, link: { firstSeen: '2020-11-01T00:00:00.000Z' }, passes: false },
  { name: 'asOf and to together: the earlier end bounds', filter: { asOf: DAY, to: '2020-10-25' }, link: { firstSeen: '2020-10-22T00:00:00.000Z' }, passes: false },
  // from: lastSeen (firstSeen when lastSeen is unknown) on or after the start of the day.
  { name: 'from a day keeps a link last seen early that day', filter: { from: DAY }, link: { firstSeen: '2020-10-01T00:00:00.000Z', lastSeen: at('01:00:00.000') }, passes: true },
  { name: 'from a day keeps a link last seen at its midnight', filter: { from: DAY }, link: { firstSeen: '2020-10-01T00:00:00.000Z', lastSeen: at('00:00:00.000') }, passes: true },
  { name: 'from a day drops a link last seen the evening before', filter: { from: DAY }, link: { firstSeen: '2020-10-01T00:00:00.000Z', lastSeen: '2020-10-20T23:59:59.999Z' }, passes: false },
  { name: 'from a day keeps a link without lastSeen first seen that day', filter: { from: DAY }, link: { firstSeen: at('18:00:00.000') }, passes: true },
  { name: 'from a day drops a link without lastSeen first seen the day before', filter: { from: DAY }, link: { firstSeen: '2020-10-20T12:00:00.000Z' }, passes: false },
  { name: 'from reads lastSeen before firstSeen', filter: { from: DAY }, link: { firstSeen: '2020-10-01T00:00:00.000Z', lastSeen: '2020-10-22T00:00:00.000Z' }, passes: true },
  { name: 'from keeps an undated link', filter: { from: DAY }, link: {}, passes: true },
  { name: 'from an instant keeps a link last seen at that instant', filter: { from: at('12:00:00') }, link: { lastSeen: at('12:00:00.000') }, passes: true },
  { name: 'from an instant drops a link last seen a millisecond before', filter: { from: at('12:00:00') }, link: { lastSeen: at('11:59:59.999') }, passes: false },
  // A window of one day: links whose [firstSeen, lastSeen] meets it.
  { name: 'a one-day window keeps a link inside that day', filter: { from: DAY, to: DAY }, link: { firstSeen: at('10:00:00.000'), lastSeen: at('11:00:00.000') }, passes: true },
  { name: 'a one-day window keeps a link spanning it', filter: { from: DAY, to: DAY }, link: { firstSeen: '2020-09-01T00:00:00.000Z', lastSeen: '2020-12-01T00:00:00.000Z' }, passes: true },
  { name: 'a later window drops a link that ended before it', filter: { from: '2020-10-22', to: '2020-10-23' }, link: { firstSeen: '2020-10-01T00:00:00.000Z', lastSeen: '2020-10-21T23:59:59.999Z' }, passes: false },
  // NEGATED findings: kept by default, dropped on request; other assertions stay.
  { name: 'NEGATED is kept by default', filter: {}, link: { assertion: 'NEGATED' }, passes: true },
  { name: 'NEGATED is dropped with includeNegated false', filter: { includeNegated: false }, link: { assertion: 'NEGATED' }, passes: false },
  { name: 'NEGATED is kept with includeNegated true', filter: { includeNegated: true }, link: { assertion: 'NEGATED' }, passes: true },
  { name: 'AFFIRMED stays with includeNegated false', filter: { includeNegated: false }, link: { assertion: 'AFFIRMED' }, passes: true },
  { name: 'DISPUTED stays with includeNegated false', filter: { includeNegated: false }, link: { assertion: 'DISPUTED' }, passes: true },
  // TLP: tlpMax narrows the clearance, never widens it; it applies to links and entities alike.
  { name: 'an AMBER link at clearance RED', filter: {}, link: { tlp: 'AMBER' }, passes: true },
  { name: 'an AMBER link above tlpMax GREEN', filter: { tlpMax: 'GREEN' }, link: { tlp: 'AMBER' }, passes: false },
  { name: 'a GREEN link at tlpMax GREEN', filter: { tlpMax: 'GREEN' }, link: { tlp: 'GREEN' }, passes: true },
  { name: 'tlpMax RED does not widen clearance GREEN', filter: { tlpMax: 'RED' }, clearance: 'GREEN', link: { tlp: 'AMBER' }, passes: false },
  { name: 'a GREEN link at clearance GREEN with tlpMax RED', filter: { tlpMax: 'RED' }, clearance: 'GREEN', link: { tlp: 'GREEN' }, passes: true },
  { name: 'an anonymous caller sees a CLEAR link', filter: {}, clearance: 'CLEAR', link: {}, passes: true },
  { name: 'an anonymous caller does not see a GREEN link', filter: {}, clearance: 'CLEAR', link: { tlp: 'GREEN' }, passes: false },
  { name: 'a RED link at clearance AMBER', filter: {}, clearance: 'AMBER', link: { tlp: 'RED' }, passes: false },
  { name: 'an AMBER far end above tlpMax GREEN', filter: { tlpMax: 'GREEN' }, link: {}, to: { kind: 'HOST', tlp: 'AMBER' }, passes: false },
  { name: 'an AMBER far end above clearance GREEN', filter: {}, clearance: 'GREEN', link: {}, to: { kind: 'HOST', tlp: 'AMBER' }, passes: false },
  // minConfidence: equal passes.
  { name: 'confidence equal to minConfidence passes', filter: { minConfidence: 70 }, link: { confidence: 70 }, passes: true },
  { name: 'confidence one below minConfidence fails', filter: { minConfidence: 70 }, link: { confidence: 69 }, passes: false },
  { name: 'confidence 0 at minConfidence 0', filter: { minConfidence: 0 }, link: { confidence: 0 }, passes: true },
  { name: 'confidence 100 at minConfidence 100', filter: { minConfidence: 100 }, link: { confidence: 100 }, passes: true },
  { name: 'confidence 99 at minConfidence 100', filter: { minConfidence: 100 }, link: { confidence: 99 }, passes: false },
  // types and kinds: absent or empty means all.
  { name: 'types holding the link type', filter: { types: ['USES'] }, link: {}, passes: true },
  { name: 'types without the link type', filter: { types: ['TARGETS', 'COMPROMISED'] }, link: {}, passes: false },
  { name: 'empty types', filter: { types: [] }, link: {}, passes: true },
  { name: 'kinds holding the far end kind', filter: { kinds: ['HOST'] }, link: {}, passes: true },
  { name: 'kinds without the far end kind', filter: { kinds: ['PERSONA'] }, link: {}, passes: false },
  { name: 'kinds holding a persona far end', filter: { kinds: ['PERSONA'] }, link: {}, to: { kind: 'PERSONA', tlp: 'CLEAR' }, passes: true },
  { name: 'empty kinds', filter: { kinds: [] }, link: {}, passes: true },
  { name: 'kinds and types together', filter: { kinds: ['TARGET_GROUP'], types: ['TARGETS'] }, link: { type: 'TARGETS' }, to: { kind: 'TARGET_GROUP', tlp: 'CLEAR' }, passes: true },
  { name: 'kinds right, type wrong', filter: { kinds: ['TARGET_GROUP'], types: ['USES'] }, link: { type: 'TARGETS' }, to: { kind: 'TARGET_GROUP', tlp: 'CLEAR' }, passes: false },
  // Several at once.
  { name: 'every field at once, all met', filter: { asOf: DAY, from: '2020-10-01', minConfidence: 60, tlpMax: 'AMBER', includeNegated: false, types: ['USES'], kinds: ['HOST'] },
    link: { confidence: 60, tlp: 'AMBER', firstSeen: at('23:30:00.000'), lastSeen: '2020-11-01T00:00:00.000Z' }, to: { kind: 'HOST', tlp: 'AMBER' }, passes: true },
];

export const linkOf = (c: FilterCase): FilterableLink => ({ ...LINK_DEFAULTS, ...c.link });
export const farOf = (c: FilterCase): FilterableEntity => c.to ?? FAR_DEFAULT;
