// Time slider: the graph "as of" a day (links first seen by then) or within a window (links
// whose time span overlaps it). Above it, a histogram of when the drawn links were first seen.
// Play steps the window through the range (../state/time-play.ts), a frame at a time.
import { byId, debounce, h } from '../dom.js';
import { nextFrame } from '../state/time-play.js';
import type { Filters, TimeMode } from '../types.js';
import type { Viewer } from '../viewer.js';

const DAY = 86_400_000;
const toDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const toMs = (d: string) => Date.parse(`${d}T00:00:00Z`);
/** How long a frame stays on screen while playing (after the view has caught up). */
const FRAME_MS = 1200;

export function mountTimeline(viewer: Viewer): void {
  const root = byId('time-panel');
  let lo = toMs('2016-01-01');
  let hi = Date.now();

  const mode = h('select', { id: 'time-mode', 'aria-label': 'time filter' },
    h('option', { value: 'all' }, 'All time'), h('option', { value: 'asOf' }, 'As of'), h('option', { value: 'window' }, 'Window'));
  const a = h('input', { type: 'range', id: 'time-a', 'aria-label': 'as of / window start', min: 0, max: 100, step: 1, value: 100 });
  const b = h('input', { type: 'range', id: 'time-b', 'aria-label': 'window end', min: 0, max: 100, step: 1, value: 100 });
  const label = h('output', { id: 'time-label', class: 'time-label' }, 'all dates');
  const histogram = h('div', { class: 'histogram', 'aria-hidden': 'true' });

  const dayAt = (input: HTMLInputElement) => toDay(lo + Number(input.value) * DAY);
  const indexOf = (d: string | null, fallback: number) => (d ? Math.round((toMs(d) - lo) / DAY) : fallback);

  const applyNow = () => {
    const m = mode.value as TimeMode;
    const patch: Partial<Filters> = { timeMode: m, asOf: null, from: null, to: null };
    if (m === 'asOf') patch.asOf = dayAt(a);
    if (m === 'window') {
      const [x, y] = [Number(a.value), Number(b.value)].sort((p, q) => p - q);
      patch.from = toDay(lo + x * DAY);
      patch.to = toDay(lo + y * DAY);
    }
    viewer.setFilters({ ...viewer.filters, ...patch });
  };
  const apply = debounce(applyNow, 60);

  const showLabel = () => {
    const m = mode.value as TimeMode;
    a.hidden = m === 'all';
    b.hidden = m !== 'window';
    if (m === 'all') label.textContent = 'all dates';
    else if (m === 'asOf') label.textContent = `as of ${dayAt(a)}`;
    else {
      const [x, y] = [dayAt(a), dayAt(b)].sort();
      label.textContent = `${x} → ${y}`;
    }
  };

  // Play / pause and step: each frame moves the window on (a new window from "all dates").
  const play = h('button', { type: 'button', id: 'time-play', 'aria-pressed': 'false', title: 'Play: step the time window through the range' }, '▶ Play');
  const step = h('button', { type: 'button', id: 'time-step', title: 'Step the time window forward once' }, '⏭ Step');
  let timer: ReturnType<typeof setTimeout> | undefined;
  let playing = false;
  /** One frame forward; false when it was the last of the range. */
  const stepOnce = (): boolean => {
    const f = nextFrame({ mode: mode.value as TimeMode, a: Number(a.value), b: Number(b.value) }, Number(a.max));
    mode.value = f.mode;
    a.value = String(f.a);
    b.value = String(f.b);
    showLabel();
    applyNow();
    return !f.last;
  };
  const setPlaying = (on: boolean) => {
    playing = on;
    clearTimeout(timer);
    play.textContent = on ? '⏸ Pause' : '▶ Play';
    play.setAttribute('aria-pressed', String(on));
    play.title = on ? 'Pause' : 'Play: step the time window through the range';
  };
  const tick = () => {
    if (!playing) return;
    const more = stepOnce();
    viewer.status(`Time: ${label.textContent ?? ''}${more ? '' : ' (end of the range)'}`);
    if (!more) { setPlaying(false); return; }
    // The next frame waits for the view to catch up, so a slow machine shows every frame.
    void viewer.whenIdle().then(() => { if (playing) timer = setTimeout(tick, FRAME_MS); });
  };
  play.addEventListener('click', () => {
    if (playing) { setPlaying(false); return; }
    setPlaying(true);
    tick();
  });
  step.addEventListener('click', () => { setPlaying(false); stepOnce(); });

  for (const el of [mode, a, b]) el.addEventListener('input', () => { setPlaying(false); showLabel(); apply(); });

  /** The slider spans the drawn links' dates, a month either side. */
  const rebound = () => {
    const days: number[] = [];
    viewer.cy.edges().forEach((e) => {
      for (const key of ['firstSeen', 'lastSeen']) {
        const v = e.data(key) as string | null;
        if (v) days.push(toMs(v.slice(0, 10)));
      }
    });
    if (days.length) {
      lo = Math.min(...days) - 30 * DAY;
      hi = Math.max(...days) + 30 * DAY;
    }
    const span = Math.max(1, Math.round((hi - lo) / DAY));
    a.max = b.max = String(span);
    placeSliders();
    showLabel();
    drawHistogram(span);
  };

  const drawHistogram = (span: number) => {
    const bins = new Array<number>(40).fill(0);
    viewer.cy.edges().forEach((e) => {
      const v = e.data('firstSeen') as string | null;
      if (!v) return;
      const i = Math.min(39, Math.floor(((toMs(v.slice(0, 10)) - lo) / DAY / span) * 40));
      bins[i]++;
    });
    const max = Math.max(1, ...bins);
    histogram.replaceChildren(...bins.map((n) => h('span', { style: `height:${Math.round((n / max) * 100)}%` })));
    histogram.title = `${toDay(lo)} – ${toDay(hi)}`;
  };

  /** Slider positions from the filters (the range may have changed under them). */
  const placeSliders = () => {
    const f = viewer.filters;
    const span = Number(a.max);
    if (f.timeMode === 'asOf') a.value = String(indexOf(f.asOf, span));
    if (f.timeMode === 'window') {
      a.value = String(indexOf(f.from, 0));
      b.value = String(indexOf(f.to, span));
    }
  };

  /** Controls from the filters, after a URL restore or a reset; not while the analyst drags. */
  const sync = () => {
    mode.value = viewer.filters.timeMode;
    placeSliders();
    showLabel();
  };

  root.append(histogram, h('div', { class: 'row' }, mode, label), a, b,
    h('div', { class: 'range-ends' }, h('span', { id: 'time-lo' }), h('span', { id: 'time-hi' })),
    h('div', { class: 'row time-play' }, play, step));
  const ends = () => {
    (root.querySelector('#time-lo') as HTMLElement).textContent = toDay(lo);
    (root.querySelector('#time-hi') as HTMLElement).textContent = toDay(hi);
  };
  viewer.on('filters', sync);
  viewer.on('graph', debounce(() => { rebound(); ends(); }, 150));
  rebound();
  ends();
}
