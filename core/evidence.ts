// Evidence accumulates: how a link's stored citations and a new write of the same link combine,
// and the rule that derives the link's confidence from its citations (docs/model.md, "Evidence").
import { FIELD_LIMITS } from './validate.js';

/** The citation lists of a link as stored: side by side, '' for none (Neo4j lists hold no null). */
export interface CitationLists {
  citeSources: string[];
  citeLocators: string[];
  citeQuotes: string[];
  citeVias: string[];
  citeConfidences: number[];
}

/**
 * The link's confidence from its evidence: the highest confidence any citation was given (a link
 * is as sure as its strongest source). Corroboration does not raise it: sources that repeat one
 * another are not independent, so it is counted separately (sourceCount, `corroboration`).
 */
export const confidenceOf = (confidences: readonly number[]): number => (confidences.length ? Math.max(...confidences) : 0);

/** A stored link's citation lists; links written before citations carried a confidence give each the link's. */
export function storedCitations(props: Record<string, unknown> | undefined): CitationLists {
  const sources = (props?.citeSources as string[] | undefined) ?? [];
  const col = (key: string) => (props?.[key] as string[] | undefined) ?? [];
  const locators = col('citeLocators'), quotes = col('citeQuotes'), vias = col('citeVias');
  const conf = (props?.citeConfidences as number[] | undefined) ?? [];
  const linkConfidence = typeof props?.confidence === 'number' ? props.confidence : 0;
  return {
    citeSources: [...sources],
    citeLocators: sources.map((_, i) => locators[i] ?? ''),
    citeQuotes: sources.map((_, i) => quotes[i] ?? ''),
    citeVias: sources.map((_, i) => vias[i] ?? ''),
    citeConfidences: sources.map((_, i) => (typeof conf[i] === 'number' ? conf[i] : linkConfidence)),
  };
}

const keyOf = (source: string, locator: string) => JSON.stringify([source, locator]);

/**
 * A write's citations added to the stored ones: a citation with the (source, locator) of one
 * already there replaces that one in place (its quote, via and confidence are the latest writer's);
 * any other is appended. Stored citations are never dropped. Also used on a new link (stored
 * undefined), where it removes repeats within the write.
 */
export function mergeCitations(stored: Record<string, unknown> | undefined, incoming: Record<string, unknown>): CitationLists {
  const out = storedCitations(stored);
  const add = storedCitations(incoming);
  const at = new Map(out.citeSources.map((s, i) => [keyOf(s, out.citeLocators[i]), i]));
  add.citeSources.forEach((source, j) => {
    const k = keyOf(source, add.citeLocators[j]);
    const i = at.get(k);
    if (i === undefined) {
      at.set(k, out.citeSources.length);
      out.citeSources.push(source);
      out.citeLocators.push(add.citeLocators[j]);
      out.citeQuotes.push(add.citeQuotes[j]);
      out.citeVias.push(add.citeVias[j]);
      out.citeConfidences.push(add.citeConfidences[j]);
    } else {
      out.citeQuotes[i] = add.citeQuotes[j];
      out.citeVias[i] = add.citeVias[j];
      out.citeConfidences[i] = add.citeConfidences[j];
    }
  });
  return out;
}

/**
 * A link row's properties after its citations are added to the stored link's: the merged lists and
 * the confidence they give. `problem` is set when the link would hold more citations than allowed
 * (FIELD_LIMITS.citations): such a write is refused, whole, with the advice to remove some first.
 */
export function accumulate(stored: Record<string, unknown> | undefined, props: Record<string, unknown>): { props: Record<string, unknown>; problem: string | null } {
  const merged = mergeCitations(stored, props);
  const problem = merged.citeSources.length > FIELD_LIMITS.citations
    ? `citations: the link would hold ${merged.citeSources.length} citations, more than the ${FIELD_LIMITS.citations} allowed (remove some with removeCitation first)`
    : null;
  return { props: withDefaultedFlag(stored, { ...props, ...merged, confidence: confidenceOf(merged.citeConfidences) }), problem };
}

/**
 * `confidenceDefaulted` (core/validate.ts PROVENANCE_FIELDS) stays true only while no write gave the
 * link a confidence: the stored link's and this write's both defaulted. Cleared (null) otherwise;
 * never added to a link that did not have it.
 */
function withDefaultedFlag(stored: Record<string, unknown> | undefined, props: Record<string, unknown>): Record<string, unknown> {
  const { confidenceDefaulted, ...rest } = props;
  if (!stored) return confidenceDefaulted === true ? { ...rest, confidenceDefaulted: true } : rest;
  if (stored.confidenceDefaulted !== true) return rest;
  return { ...rest, confidenceDefaulted: confidenceDefaulted === true ? true : null };
}
