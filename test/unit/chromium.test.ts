// How the browser tests, the bench and the docs screenshot find a Chromium (bench/chromium.ts),
// on fake executables in a temporary folder. No database, no browser.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { findChromium, noChromium } from '../../bench/chromium.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chromium-lookup-'));
const bin = (sub: string, name: string, executable = true) => {
  fs.mkdirSync(path.join(dir, sub), { recursive: true });
  const file = path.join(dir, sub, name);
  fs.writeFileSync(file, '#!/bin/sh\n', { mode: executable ? 0o755 : 0o644 });
  return file;
};
const none = { fixed: [], download: () => null };

describe('finding a Chromium', () => {
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('in order: CHROMIUM_PATH, then chromium, chromium-browser, google-chrome, google-chrome-stable on PATH, then fixed paths, then Playwright\'s download', () => {
    const chrome = bin('a', 'google-chrome');
    const chromium = bin('b', 'chromium');
    const own = bin('c', 'chrome');
    const fixed = bin('d', 'chromium');
    const PATH = [path.join(dir, 'a'), path.join(dir, 'b')].join(path.delimiter);
    assert.deepEqual(findChromium({ PATH, CHROMIUM_PATH: own }, none), { path: own, from: 'CHROMIUM_PATH' });
    assert.deepEqual(findChromium({ PATH }, none), { path: chromium, from: 'chromium on PATH' }, 'chromium before google-chrome, whatever the PATH order');
    assert.deepEqual(findChromium({ PATH: path.join(dir, 'a') }, none), { path: chrome, from: 'google-chrome on PATH' });
    assert.deepEqual(findChromium({ PATH: '' }, { fixed: [path.join(dir, 'nope'), fixed], download: () => own }), { path: fixed, from: fixed });
    assert.deepEqual(findChromium({}, { fixed: [], download: () => own }), { path: own, from: 'playwright-core download' });
  });

  it('none: one line saying what to do; a CHROMIUM_PATH that is not an executable file is named', () => {
    const notExecutable = bin('e', 'chromium', false);
    assert.deepEqual(findChromium({ PATH: path.join(dir, 'e') }, none), { missing: 'no Chromium found' });
    assert.deepEqual(findChromium({ CHROMIUM_PATH: path.join(dir, 'e') }, none), { missing: `CHROMIUM_PATH=${path.join(dir, 'e')} is not an executable file` });
    assert.equal(noChromium('browser tests'), 'browser tests: no Chromium found — set CHROMIUM_PATH, or `apt-get install chromium`');
    assert.equal(findChromium({ CHROMIUM_PATH: notExecutable }, none).missing, `CHROMIUM_PATH=${notExecutable} is not an executable file`);
  });
});
