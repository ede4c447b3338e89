// Granular markings on export: the parts of a raw STIX object (its selectors) marked above the
// caller's clearance are removed before it leaves, with the granular markings that named them.
// (Typed records take the marking of their most restricted part on import: import-index.ts.)
import { tlpRank, type Tlp } from '../../model/model.js';
import type { GranularTlp } from './import-index.js';

/** `a.b.[2].c` → ['a', 'b', 2, 'c'] (the STIX 2.1 selector syntax). */
function parseSelector(selector: string): Array<string | number> {
  return selector.split('.').map((part) => {
    const m = /^\[(\d+)\]$/.exec(part);
    return m ? Number(m[1]) : part;
  });
}

/**
 * A copy of `obj` without the parts that granular markings above `clearance` cover, and without
 * those markings; `redacted` lists the selectors removed. Array elements are removed after
 * everything else so that the other selectors' indexes still point where they pointed.
 */
export function redactGranular(obj: Record<string, unknown>, granular: GranularTlp[], clearance: Tlp): { object: Record<string, unknown>; redacted: string[] } {
  const hidden = granular.filter((g) => tlpRank(g.tlp) > tlpRank(clearance)).flatMap((g) => g.selectors);
  if (!hidden.length) return { object: obj, redacted: [] };
  const copy = structuredClone(obj);
  const fromArrays: Array<{ list: unknown[]; index: number }> = [];
  /** Selector prefix of a list (`aliases.`) → the indexes removed from it. */
  const removedByList = new Map<string, number[]>();
  for (const selector of hidden) {
    const path = parseSelector(selector);
    let at: unknown = copy;
    for (const step of path.slice(0, -1)) at = at && typeof at === 'object' ? (at as Record<string | number, unknown>)[step] : undefined;
    const last = path[path.length - 1];
    if (Array.isArray(at) && typeof last === 'number') {
      fromArrays.push({ list: at, index: last });
      const list = selector.slice(0, selector.lastIndexOf('.') + 1);
      removedByList.set(list, [...(removedByList.get(list) ?? []), last]);
    }
    else if (at && typeof at === 'object') delete (at as Record<string, unknown>)[String(last)];
  }
  fromArrays.sort((a, b) => b.index - a.index);
  for (const { list, index } of fromArrays) if (index < list.length) list.splice(index, 1);
  const hiddenSet = new Set(hidden);
  const markings = (copy.granular_markings as Array<{ selectors?: string[] }> | undefined) ?? [];
  const kept = markings
    .map((g) => ({ ...g, selectors: (g.selectors ?? []).filter((s) => !hiddenSet.has(s)).map((s) => reindexed(s, removedByList)) }))
    .filter((g) => g.selectors.length);
  if (kept.length) copy.granular_markings = kept;
  else delete copy.granular_markings;
  return { object: copy, redacted: hidden };
}

/**
 * A kept selector after elements were removed from lists on its path: `aliases.[3]` becomes
 * `aliases.[2]` once `aliases.[1]` is gone, so it still marks the element it marked.
 */
function reindexed(selector: string, removedByList: Map<string, number[]>): string {
  if (!removedByList.size) return selector;
  const parts = selector.split('.');
  let prefix = '';
  const out = parts.map((part) => {
    const m = /^\[(\d+)\]$/.exec(part);
    let result = part;
    if (m) {
      const index = Number(m[1]);
      const shift = (removedByList.get(prefix) ?? []).filter((r) => r < index).length;
      result = `[${index - shift}]`;
    }
    prefix += `${part}.`;
    return result;
  });
  return out.join('.');
}
