// The STIX bundle reader and writer (api/stix/bundle-stream.ts), in memory. No database.
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import { BundleReader, memorySource, writeBundle } from '../../api/stix/bundle-stream.js';
import { OBJECT_LIMITS } from '../../api/stix/stix-validate.js';

/** Feeds a text to the reader in chunks of `size` bytes, as a file stream would (splitting UTF-8 sequences too). */
// The reader takes an async source (a file stream); this one has nothing to await, and that is the point.
// eslint-disable-next-line @typescript-eslint/require-await
const chunked = (text: string | Buffer, size: number) => async function* () {
  const bytes = Buffer.from(text);
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
};
const readAll = async (reader: BundleReader) => { const out: unknown[] = []; for await (const o of reader.objects()) out.push(o); return out; };

describe('streaming bundle reader', () => {
  const objects = [
    { type: 'campaign', id: 'campaign--1', name: 'Braces { and } and [brackets] in "quotes" \\ backslash', n: [1, [2, { x: 3 }]] },
    { type: 'identity', id: 'identity--2', name: 'إيران — Ünïcödé 😀', objects: ['not', 'the', 'bundle\'s'] },
  ];
  const text = JSON.stringify({ id: 'bundle--x', objects, type: 'bundle', spec_version: '2.1' }, null, 2);

  it('yields each object of the array, whatever the chunk boundaries, and keeps the other members', async () => {
    for (const size of [1, 2, 3, 7, 64, 1 << 20]) {
      const reader = new BundleReader(chunked(text, size));
      assert.deepEqual(await readAll(reader), objects, `chunks of ${size}`);
      assert.deepEqual(reader.header, { id: 'bundle--x', objects: [], type: 'bundle', spec_version: '2.1' });
    }
  });

  it('yields a lone STIX object as the only object, and rejects broken documents', async () => {
    assert.deepEqual(await readAll(new BundleReader(chunked(JSON.stringify(objects[0]), 5))), [objects[0]]);
    await assert.rejects(readAll(new BundleReader(chunked(text.slice(0, -20), 8))), /unexpected end/);
    await assert.rejects(readAll(new BundleReader(chunked('{"type":"bundle","objects":[{"a":1}, 42]}', 4))), /objects\[1\]: not a JSON object/);
    await assert.rejects(readAll(new BundleReader(chunked('{"objects":[{"a":1},{"b":}]}', 4))), /objects\[1\]: not valid JSON/);
    await assert.rejects(readAll(new BundleReader(chunked('[1, 2]', 4))), /not a JSON object/);
  });

  it('skips a UTF-8 byte-order mark, and refuses data after the document', async () => {
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]);
    const reader = new BundleReader(chunked(bom, 5));
    assert.deepEqual(await readAll(reader), objects);
    assert.equal(reader.header.id, 'bundle--x');
    await assert.rejects(readAll(new BundleReader(chunked(`${text} {}`, 16))), /unexpected data after the end/);
  });

  it('refuses an object nested past the limit before parsing it, naming it', async () => {
    const nest = (levels: number) => `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`;
    // The element itself is level 1, so OBJECT_LIMITS.depth levels of braces are allowed.
    const ok = `{"type":"bundle","objects":[{"x":0},${nest(OBJECT_LIMITS.depth)}]}`;
    assert.equal((await readAll(new BundleReader(chunked(ok, 7)))).length, 2);
    const deep = `{"type":"bundle","objects":[{"x":0},${nest(OBJECT_LIMITS.depth + 1)}]}`;
    await assert.rejects(readAll(new BundleReader(chunked(deep, 7))), new RegExp(`objects\\[1\\]: nested deeper than ${OBJECT_LIMITS.depth} levels`));
    await assert.rejects(readAll(new BundleReader(chunked(`{"type":"bundle","objects":[${nest(100_000)}]}`, 1 << 16))), /objects\[0\]: nested deeper/);
  });
});

describe('bundle writer and in-memory source', () => {
  it('writes a bundle the reader reads back, counting objects per type; an empty bundle has no objects member', async () => {
    const objects = [{ type: 'campaign', id: 'campaign--1' }, { type: 'identity', id: 'identity--2' }, { type: 'campaign', id: 'campaign--3' }];
    const out = new PassThrough();
    const parts: Buffer[] = [];
    out.on('data', (b: Buffer) => parts.push(b));
    const counts = await writeBundle(out, 'bundle--x', objects);
    assert.deepEqual([...counts], [['campaign', 2], ['identity', 1]]);
    const written = Buffer.concat(parts).toString('utf8');
    assert.deepEqual(JSON.parse(written), { type: 'bundle', id: 'bundle--x', objects });
    assert.deepEqual(await readAll(new BundleReader(chunked(written, 3))), objects);

    const empty = new PassThrough();
    const emptyParts: Buffer[] = [];
    empty.on('data', (b: Buffer) => emptyParts.push(b));
    assert.equal((await writeBundle(empty, 'bundle--y', [])).size, 0);
    assert.deepEqual(JSON.parse(Buffer.concat(emptyParts).toString('utf8')), { type: 'bundle', id: 'bundle--y' });
  });

  it('memorySource: a bundle, a lone object as a bundle of one, and clear refusals', () => {
    const id = 'bundle--6ba7b810-9dad-11d1-80b4-00c04fd430c8';
    const obj = { type: 'campaign', id: 'campaign--6ba7b811-9dad-11d1-80b4-00c04fd430c8', name: 'c' };
    const b = memorySource({ type: 'bundle', id, objects: [obj] });
    assert.equal(b.bundleId(), id);
    assert.deepEqual([...b.objects() as unknown[]], [obj]);
    const lone = memorySource(obj);
    assert.equal(lone.bundleId(), 'bundle--6ba7b811-9dad-11d1-80b4-00c04fd430c8');
    assert.deepEqual([...lone.objects() as unknown[]], [obj]);
    assert.deepEqual([...memorySource({ type: 'bundle', id }).objects() as unknown[]], []);
    assert.throws(() => memorySource([obj]), /expected a JSON object/);
    assert.throws(() => memorySource({ type: 'bundle', id: 'bundle--nope', objects: [] }), /"id" must be bundle--<uuid>/);
    assert.throws(() => memorySource({ type: 'bundle', id, objects: {} }), /not a STIX bundle|"objects" must be an array/);
  });
});
