// Finds a Chromium for the browser tests, the bench and the docs screenshot, the usual ways, in
// order: CHROMIUM_PATH; the system's (chromium, chromium-browser, google-chrome,
// google-chrome-stable on PATH, then /usr/bin/chromium); Playwright's own download, when
// playwright-core knows one that is on disk. Without one, callers skip or stop with NO_CHROMIUM.
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type LaunchOptions } from 'playwright-core';

export const SYSTEM_NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'] as const;

export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
  '--disable-quic', '--no-first-run', '--disable-sync'];

export type ChromiumLookup = { path: string; from: string; missing?: undefined } | { path?: undefined; from?: undefined; missing: string };

const isExecutable = (file: string): boolean => {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
};

function onPath(name: string, env: NodeJS.ProcessEnv): string | null {
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (dir && isExecutable(path.join(dir, name))) return path.join(dir, name);
  }
  return null;
}

function playwrightDownload(): string | null {
  try {
    const file = chromium.executablePath();
    return file && isExecutable(file) ? file : null;
  } catch {
    return null; // a platform playwright-core has no build for
  }
}

/** The line every caller prints when there is no browser (`what`: "viewer tests", "bench: viewer timings" …). */
export function noChromium(what: string, reason = 'no Chromium found'): string {
  return `${what}: ${reason} — set CHROMIUM_PATH, or \`apt-get install chromium\``;
}

export interface LookupPlaces {
  /** Fixed paths tried after PATH. */
  fixed?: string[];
  /** Playwright's own download, when on disk. */
  download?: () => string | null;
}

/** Where the Chromium is, and how it was found; or why there is none (one line, for `noChromium`). */
export function findChromium(env: NodeJS.ProcessEnv = process.env, places: LookupPlaces = {}): ChromiumLookup {
  const { fixed = ['/usr/bin/chromium'], download = playwrightDownload } = places;
  const set = env.CHROMIUM_PATH;
  if (set) return isExecutable(set) ? { path: set, from: 'CHROMIUM_PATH' } : { missing: `CHROMIUM_PATH=${set} is not an executable file` };
  for (const name of SYSTEM_NAMES) {
    const file = onPath(name, env);
    if (file) return { path: file, from: `${name} on PATH` };
  }
  const at = fixed.find(isExecutable);
  if (at) return { path: at, from: at };
  const own = download();
  if (own) return { path: own, from: 'playwright-core download' };
  return { missing: 'no Chromium found' };
}

/** For node:test's `skip`: false when a browser is there, else the one line saying why not. */
export function skipWithoutChromium(what: string): string | false {
  const found = findChromium();
  return found.missing ? noChromium(what, found.missing) : false;
}

/** Headless Chromium with the flags the tests and the bench use; throws the one line when there is none. */
export function launchChromium(what: string, options: LaunchOptions = {}): Promise<Browser> {
  const found = findChromium();
  if (found.missing) throw new Error(noChromium(what, found.missing));
  return chromium.launch({ headless: true, args: CHROMIUM_ARGS, ...options, executablePath: found.path });
}
