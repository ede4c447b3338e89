// Streams the `objects` of a STIX bundle one at a time, so a 500 MB bundle never sits in memory
// whole: a byte scanner finds where each element of the array starts and ends (tracking strings,
// escapes and nesting), and JSON.parse reads that element alone.
import fs from 'node:fs';
import { OBJECT_LIMITS, StixFormatError, checkBundleHeader } from './stix-validate.js';

const QUOTE = 0x22, BACKSLASH = 0x5c, COLON = 0x3a, COMMA = 0x2c;
const LBRACE = 0x7b, RBRACE = 0x7d, LBRACKET = 0x5b, RBRACKET = 0x5d;
const isSpace = (b: number) => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;

export type ChunkSource = () => AsyncIterable<Buffer | Uint8Array>;

export const fileChunks = (file: string): ChunkSource => () => fs.createReadStream(file, { highWaterMark: 1 << 20 });

export class BundleReader {
  /** The bundle's own members (type, id …) with `objects` emptied; set once objects() has run to the end. */
  header: Record<string, unknown> = {};
  /** False when the document has no `objects` array (e.g. a single STIX object, which is then yielded as the only object). */
  hasObjects = false;

  constructor(private readonly chunks: ChunkSource) {}

  async *objects(): AsyncGenerator<unknown> {
    let depth = 0, inString = false, escaped = false, expectKey = false, objectsNext = false, inArray = false, ended = false;
    let keyBytes: number[] | null = null;
    let lastKey = '';
    let elemStart = -1;
    let elemParts: Buffer[] = [];
    const headerParts: Buffer[] = [];
    let headerFrom = 0;
    let index = 0;
    const fail = (reason: string): never => { throw new StixFormatError(reason); };
    this.hasObjects = false;

    let first = true;
    for await (const raw of this.chunks()) {
      const chunk = Buffer.isBuffer(raw) ? raw : Buffer.from(raw);
      // A UTF-8 byte-order mark is not JSON; editors on Windows write one.
      const start = first && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf ? 3 : 0;
      if (first && start) headerFrom = 3;
      first = false;
      for (let i = start; i < chunk.length; i++) {
        const b = chunk[i];
        if (inString) {
          if (escaped) escaped = false;
          else if (b === BACKSLASH) escaped = true;
          else if (b === QUOTE) {
            inString = false;
            if (keyBytes) { lastKey = Buffer.from(keyBytes).toString('utf8'); keyBytes = null; }
          } else if (keyBytes && keyBytes.length < 64) keyBytes.push(b);
          continue;
        }
        if (ended) {
          if (!isSpace(b)) fail('unexpected data after the end of the JSON document');
          continue;
        }
        switch (b) {
          case QUOTE:
            if (inArray && depth === 2) fail(`objects[${index}]: not a JSON object`);
            inString = true;
            if (depth === 1 && expectKey) keyBytes = [];
            break;
          case LBRACE: case LBRACKET:
            if (depth === 0 && b !== LBRACE) fail('the document is not a JSON object');
            if (inArray && depth === 2) {
              if (b !== LBRACE) fail(`objects[${index}]: not a JSON object`);
              elemStart = i;
              elemParts = [];
            }
            if (depth === 1 && objectsNext) {
              if (b !== LBRACKET) fail('bundle: "objects" must be an array');
              inArray = true;
              this.hasObjects = true;
              headerParts.push(chunk.subarray(headerFrom, i + 1));
              headerFrom = -1;
            }
            objectsNext = false;
            depth++;
            // Before JSON.parse sees it: a bundle nested thousands deep would overflow the stack.
            if (inArray && depth > OBJECT_LIMITS.depth + 2) fail(`objects[${index}]: nested deeper than ${OBJECT_LIMITS.depth} levels`);
            if (!inArray && depth > OBJECT_LIMITS.depth + 2) fail(`bundle: nested deeper than ${OBJECT_LIMITS.depth} levels`);
            if (depth === 1) expectKey = true;
            break;
          case RBRACE: case RBRACKET:
            depth--;
            if (inArray && depth === 2) {
              elemParts.push(chunk.subarray(elemStart, i + 1));
              elemStart = -1;
              const text = Buffer.concat(elemParts).toString('utf8');
              elemParts = [];
              let value: unknown;
              try {
                value = JSON.parse(text);
              } catch (e) {
                fail(`objects[${index}]: not valid JSON (${(e as Error).message})`);
              }
              index++;
              yield value;
            } else if (inArray && depth === 1) {
              inArray = false;
              headerFrom = i;
            }
            if (depth === 0) ended = true;
            break;
          case COLON:
            if (depth === 1) { expectKey = false; objectsNext = lastKey === 'objects'; }
            break;
          case COMMA:
            if (depth === 1) expectKey = true;
            break;
          default:
            if (depth === 0 && !isSpace(b)) fail('the document is not a JSON object');
            if (inArray && depth === 2 && !isSpace(b)) fail(`objects[${index}]: not a JSON object`);
            if (depth === 1 && !isSpace(b)) objectsNext = false;
        }
      }
      if (elemStart >= 0) { elemParts.push(chunk.subarray(elemStart)); elemStart = 0; }
      if (headerFrom >= 0) { headerParts.push(chunk.subarray(headerFrom)); headerFrom = 0; }
    }
    if (!ended) fail('unexpected end of the document (truncated file?)');
    try {
      this.header = JSON.parse(Buffer.concat(headerParts).toString('utf8')) as Record<string, unknown>;
    } catch (e) {
      fail(`not valid JSON (${(e as Error).message})`);
    }
    if (!this.hasObjects && this.header.type !== 'bundle') yield this.header;
  }
}

/** A bundle to import: its objects, re-readable (the importer makes several passes), and its id. */
export interface BundleSource {
  objects(): AsyncIterable<unknown> | Iterable<unknown>;
  /** The bundle's id, checked; for a file, known once a first pass has run. */
  bundleId(): string;
}

/** A bundle already parsed (the API's `bundle` argument). */
export function memorySource(doc: unknown): BundleSource {
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw new StixFormatError('not a STIX bundle: expected a JSON object');
  const d = doc as Record<string, unknown>;
  const hasObjects = Array.isArray(d.objects);
  const id = checkBundleHeader(d, hasObjects || d.type === 'bundle');
  const objects = hasObjects ? (d.objects as unknown[]) : d.type === 'bundle' ? [] : [d];
  return { objects: () => objects, bundleId: () => id };
}

/** A bundle file, streamed on every pass. */
export function fileSource(file: string): BundleSource {
  const reader = new BundleReader(fileChunks(file));
  return {
    objects: () => reader.objects(),
    bundleId: () => checkBundleHeader(reader.header, reader.hasObjects),
  };
}

/**
 * Writes a bundle to a stream one object at a time (with backpressure), so an export or a
 * generated bundle never sits in memory whole. Returns the count per STIX type.
 */
export async function writeBundle(out: NodeJS.WritableStream, id: string, objects: AsyncIterable<object> | Iterable<object>): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  const write = async (text: string) => {
    if (!out.write(text)) await new Promise((resolve) => out.once('drain', resolve));
  };
  await write(`{"type":"bundle","id":${JSON.stringify(id)}`);
  let n = 0;
  for await (const o of objects) {
    const type = String((o as { type?: unknown }).type);
    counts.set(type, (counts.get(type) ?? 0) + 1);
    // The schema wants at least one object when `objects` is present: open it with the first.
    await write(`${n++ ? ',\n' : ',"objects":[\n'}${JSON.stringify(o)}`);
  }
  await write(n ? '\n]}\n' : '}\n');
  return counts;
}
