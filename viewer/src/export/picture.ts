// The exported picture (SVG, and the PNG rasterised from it): the graph with a TLP banner above
// and below it (the highest marking of what is drawn, in FIRST's colours) and the legend of the
// kinds and link styles drawn. A pure function over strings, so it is unit-tested in Node.
import { kindShapeMarkup } from '../graph/legend-icons.js';
import { DISPUTED_COLOR, KIND_STYLE, NEGATED_COLOR } from '../graph/style.js';
import type { Assertion, EntityKind, Tlp } from '../types.js';
import { TLP_COLOURS, xmlEscape } from './formats.js';

/** The graph as SVG markup of the given size: a nested <svg> (SVG export) or an <image> (PNG). */
export interface GraphPicture { markup: string; width: number; height: number }

export interface LegendInput {
  /** Kinds drawn, with how many nodes of each. */
  kinds: Array<{ kind: EntityKind; count: number }>;
  /** Assertions among the links drawn (a line style each). */
  assertions: Assertion[];
}

const BANNER = 26;
const LEGEND_WIDTH = 250; // room for the longest row, "link (width and opacity: confidence)"
const ROW = 18;
const FONT = 'font-family="system-ui, -apple-system, Segoe UI, sans-serif"';

/** Kinds in the legend's order (most drawn first), from a list of node kinds. */
export function legendOf(kinds: EntityKind[], assertions: Assertion[]): LegendInput {
  const counts = new Map<EntityKind, number>();
  for (const k of kinds) counts.set(k, (counts.get(k) ?? 0) + 1);
  return {
    kinds: [...counts].map(([kind, count]) => ({ kind, count })).sort((a, b) => b.count - a.count || a.kind.localeCompare(b.kind)),
    assertions: (['AFFIRMED', 'NEGATED', 'DISPUTED'] as const).filter((a) => assertions.includes(a)),
  };
}

function banner(tlp: Tlp, y: number, width: number, caption: string): string {
  return `<g class="tlp-banner">`
    + `<rect x="0" y="${y}" width="${width}" height="${BANNER}" fill="#000000"/>`
    + `<text x="12" y="${y + 18}" ${FONT} font-size="14" font-weight="700" fill="${TLP_COLOURS[tlp]}">TLP:${tlp}</text>`
    + (caption ? `<text x="${width - 12}" y="${y + 17}" ${FONT} font-size="11" fill="#d5d8dc" text-anchor="end">${xmlEscape(caption)}</text>` : '')
    + '</g>';
}

const LINE_STYLE: Record<Assertion, { label: string; colour: string; dash: string }> = {
  AFFIRMED: { label: 'link (width and opacity: confidence)', colour: '#7f8c9a', dash: '' },
  NEGATED: { label: 'NEGATED: no sign of it', colour: NEGATED_COLOR, dash: ' stroke-dasharray="5 3"' },
  DISPUTED: { label: 'DISPUTED', colour: DISPUTED_COLOR, dash: ' stroke-dasharray="1.5 2.5"' },
};

function legend(input: LegendInput, x: number, y: number): { markup: string; height: number } {
  const rows: string[] = [`<text x="${x}" y="${y + 13}" ${FONT} font-size="12" font-weight="700" fill="#1c2833">Legend</text>`];
  let at = y + ROW + 4;
  for (const { kind, count } of input.kinds) {
    rows.push(`<svg x="${x}" y="${at}" width="14" height="14" viewBox="0 0 16 16">${kindShapeMarkup(kind)}</svg>`
      + `<text x="${x + 20}" y="${at + 11}" ${FONT} font-size="11" fill="#1c2833">${xmlEscape(KIND_STYLE[kind].label)} (${count})</text>`);
    at += ROW;
  }
  for (const a of input.assertions) {
    const s = LINE_STYLE[a];
    rows.push(`<line x1="${x}" y1="${at + 7}" x2="${x + 14}" y2="${at + 7}" stroke="${s.colour}" stroke-width="2.5"${s.dash}/>`
      + `<text x="${x + 20}" y="${at + 11}" ${FONT} font-size="11" fill="#1c2833">${xmlEscape(s.label)}</text>`);
    at += ROW;
  }
  return { markup: `<g class="legend">${rows.join('')}</g>`, height: at - y };
}

/**
 * The whole picture: banner, graph beside its legend, banner. `caption` goes in the banners'
 * right-hand side (what was exported, and when).
 */
export function composePicture(graph: GraphPicture, tlp: Tlp, legendInput: LegendInput, caption: string): { svg: string; width: number; height: number } {
  const width = Math.ceil(Math.max(graph.width + LEGEND_WIDTH, 520));
  const lg = legend(legendInput, graph.width + 16, BANNER + 12);
  const body = Math.ceil(Math.max(graph.height, lg.height + 24));
  const height = body + 2 * BANNER;
  const svg = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<title>TLP:${tlp} ${xmlEscape(caption)}</title>`,
    `<rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`,
    banner(tlp, 0, width, caption),
    `<g class="graph" transform="translate(0 ${BANNER})">${graph.markup}</g>`,
    lg.markup,
    banner(tlp, BANNER + body, width, caption),
    '</svg>',
    '',
  ].join('\n');
  return { svg, width, height };
}

/** Serialised SVG (./graph-svg.ts) as markup to nest: without any XML declaration or doctype. */
export function nestableSvg(svg: string): GraphPicture {
  const markup = svg.replace(/^\s*<\?xml[^>]*\?>\s*/, '').replace(/^\s*<!DOCTYPE[^>]*>\s*/i, '');
  const open = /^<svg\b[^>]*>/.exec(markup)?.[0] ?? '';
  const attr = (name: string) => Number(new RegExp(`\\b${name}="([\\d.]+)`).exec(open)?.[1] ?? 0);
  return { markup, width: attr('width'), height: attr('height') };
}
