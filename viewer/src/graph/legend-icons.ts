// Small SVG swatches drawn like the node shapes and edge styles, for the legend and the lists.
import type { EntityKind } from '../types.js';
import { DISPUTED_COLOR, KIND_STYLE, NEGATED_COLOR } from './style.js';

const NS = 'http://www.w3.org/2000/svg';

/** Polygon points in a 0..16 box for each Cytoscape shape the palette uses. */
const SHAPES: Record<string, string> = {
  octagon: '5,1 11,1 15,5 15,11 11,15 5,15 1,11 1,5',
  diamond: '8,1 15,8 8,15 1,8',
  pentagon: '8,1 15,6 12.5,15 3.5,15 1,6',
  rectangle: '2,2 14,2 14,14 2,14',
  triangle: '8,1 15,15 1,15',
  rhomboid: '5,3 15,3 11,13 1,13',
  hexagon: '4,2 12,2 15,8 12,14 4,14 1,8',
  tag: '1,3 11,3 15,8 11,13 1,13',
  // Rounded shapes are drawn with their corners (at 16 px the rounding does not show).
  star: '8,1 10,6 15,6 11,9.5 12.5,15 8,11.5 3.5,15 5,9.5 1,6 6,6',
  'round-diamond': '8,1 15,8 8,15 1,8',
  vee: '1,2 8,7 15,2 8,15',
  'round-pentagon': '8,1 15,6 12.5,15 3.5,15 1,6',
  'round-triangle': '8,1 15,15 1,15',
  'cut-rectangle': '4,2 12,2 15,5 15,11 12,14 4,14 1,11 1,5',
  'concave-hexagon': '1,2 15,2 12,8 15,14 1,14 4,8',
  'round-hexagon': '4,2 12,2 15,8 12,14 4,14 1,8',
  'round-tag': '1,3 11,3 15,8 11,13 1,13',
};

export function kindIcon(kind: EntityKind, size = 14): SVGSVGElement {
  const { shape, color } = KIND_STYLE[kind];
  const svg = document.createElementNS(NS, 'svg');
  svg.setAttribute('viewBox', '0 0 16 16');
  svg.setAttribute('width', String(size));
  svg.setAttribute('height', String(size));
  svg.setAttribute('aria-hidden', 'true');
  svg.classList.add('kind-icon');
  let el: SVGElement;
  if (shape === 'ellipse') {
    el = document.createElementNS(NS, 'circle');
    el.setAttribute('cx', '8'); el.setAttribute('cy', '8'); el.setAttribute('r', '7');
  } else if (shape === 'round-rectangle' || shape === 'barrel') {
    el = document.createElementNS(NS, 'rect');
    el.setAttribute('x', '1'); el.setAttribute('y', '3'); el.setAttribute('width', '14'); el.setAttribute('height', '10');
    el.setAttribute('rx', shape === 'barrel' ? '5' : '3');
  } else if (shape === 'bottom-round-rectangle') {
    el = document.createElementNS(NS, 'path');
    el.setAttribute('d', 'M1 2 H15 V10 Q15 14 11 14 H5 Q1 14 1 10 Z');
  } else {
    el = document.createElementNS(NS, 'polygon');
    el.setAttribute('points', SHAPES[shape] ?? SHAPES.rectangle);
  }
  el.setAttribute('fill', color);
  svg.append(el);
  return svg;
}

/** The same swatch as markup in a 0..16 box (for exported images, which are strings, not DOM). */
export function kindShapeMarkup(kind: EntityKind): string {
  const { shape, color } = KIND_STYLE[kind];
  if (shape === 'ellipse') return `<circle cx="8" cy="8" r="7" fill="${color}"/>`;
  if (shape === 'round-rectangle' || shape === 'barrel') return `<rect x="1" y="3" width="14" height="10" rx="${shape === 'barrel' ? 5 : 3}" fill="${color}"/>`;
  if (shape === 'bottom-round-rectangle') return `<path d="M1 2 H15 V10 Q15 14 11 14 H5 Q1 14 1 10 Z" fill="${color}"/>`;
  return `<polygon points="${SHAPES[shape] ?? SHAPES.rectangle}" fill="${color}"/>`;
}

export type EdgeSample = 'affirmed' | 'weak' | 'negated' | 'disputed';

export function edgeIcon(sample: EdgeSample): SVGSVGElement {
  const svg = document.createElementNS(NS, 'svg');
  svg.setAttribute('viewBox', '0 0 34 10');
  svg.setAttribute('width', '34');
  svg.setAttribute('height', '10');
  svg.setAttribute('aria-hidden', 'true');
  const line = document.createElementNS(NS, 'line');
  line.setAttribute('x1', '1'); line.setAttribute('y1', '5'); line.setAttribute('x2', '29'); line.setAttribute('y2', '5');
  const color = sample === 'negated' ? NEGATED_COLOR : sample === 'disputed' ? DISPUTED_COLOR : '#7f8c9a';
  line.setAttribute('stroke', color);
  line.setAttribute('stroke-width', sample === 'weak' ? '1' : '3');
  if (sample === 'weak') line.setAttribute('stroke-opacity', '0.35');
  if (sample === 'negated') line.setAttribute('stroke-dasharray', '5 3');
  if (sample === 'disputed') line.setAttribute('stroke-dasharray', '1.5 2.5');
  svg.append(line);
  const head = document.createElementNS(NS, sample === 'negated' ? 'line' : 'polygon');
  if (sample === 'negated') {
    head.setAttribute('x1', '31'); head.setAttribute('y1', '0'); head.setAttribute('x2', '31'); head.setAttribute('y2', '10');
    head.setAttribute('stroke', color); head.setAttribute('stroke-width', '2.5');
  } else {
    head.setAttribute('points', '27,1 33,5 27,9');
    head.setAttribute('fill', color);
    if (sample === 'weak') head.setAttribute('fill-opacity', '0.35');
  }
  svg.append(head);
  return svg;
}
