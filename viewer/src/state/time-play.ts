// The time filter's play button, as a pure step over the slider's day indexes (0 … span): a
// window keeps its width and moves on by it, frame after frame; "as of" moves on by a twentieth
// of the range; from "all dates" the first step opens a window of a tenth of the range at its start.
import type { TimeMode } from '../types.js';

export interface TimeFrame {
  mode: TimeMode;
  /** As-of day, or the window's start. */
  a: number;
  /** The window's end (unused for as-of). */
  b: number;
}

/** The next frame, and whether it is the last one (the range's end reached). From the end, it starts over. */
export function nextFrame(f: TimeFrame, span: number): TimeFrame & { last: boolean } {
  const end = Math.max(1, span);
  if (f.mode === 'asOf') {
    const by = Math.max(1, Math.round(end / 20));
    const a = f.a >= end ? 0 : Math.min(end, f.a + by);
    return { mode: 'asOf', a, b: f.b, last: a >= end };
  }
  if (f.mode === 'window') {
    const [x, y] = [f.a, f.b].sort((p, q) => p - q);
    const width = Math.max(1, y - x);
    if (y >= end) return { mode: 'window', a: 0, b: Math.min(end, width), last: width >= end };
    const b = Math.min(end, y + width);
    return { mode: 'window', a: b - width, b, last: b >= end };
  }
  const width = Math.max(1, Math.round(end / 10));
  return { mode: 'window', a: 0, b: width, last: width >= end };
}
