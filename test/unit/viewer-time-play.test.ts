// The time filter's play button (issue 18): each step moves the window on by its width until the
// range's end, then starts over; as-of moves by a twentieth; from "all dates" a window opens.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nextFrame, type TimeFrame } from '../../viewer/src/state/time-play.js';

describe('viewer time play', () => {
  it('a window keeps its width and steps to the end of the range, then starts over', () => {
    let f: TimeFrame & { last?: boolean } = { mode: 'window', a: 30, b: 10 };
    const seen: Array<[number, number, boolean]> = [];
    for (let i = 0; i < 6; i++) {
      f = nextFrame(f, 75);
      seen.push([f.a, f.b, f.last ?? false]);
    }
    assert.deepEqual(seen, [[30, 50, false], [50, 70, false], [55, 75, true], [0, 20, false], [20, 40, false], [40, 60, false]]);
  });

  it('from all dates: a window of a tenth of the range at its start; as of: a twentieth at a time', () => {
    assert.deepEqual(nextFrame({ mode: 'all', a: 0, b: 0 }, 400), { mode: 'window', a: 0, b: 40, last: false });
    assert.deepEqual(nextFrame({ mode: 'asOf', a: 390, b: 0 }, 400), { mode: 'asOf', a: 400, b: 0, last: true });
    assert.deepEqual(nextFrame({ mode: 'asOf', a: 400, b: 0 }, 400), { mode: 'asOf', a: 0, b: 0, last: false });
    assert.deepEqual(nextFrame({ mode: 'window', a: 0, b: 0 }, 0), { mode: 'window', a: 0, b: 1, last: true }, 'an empty range still makes a window');
  });
});
