// The trust property, as a smoke run in the normal suite: random writes and reads by callers of
// every role and TLP clearance, through the real API, checked against an in-memory model
// (test/trust-property-model.ts): nobody observes or changes anything above their clearance,
// patch semantics and counts are exact, and STIX versions never go back. The full run
// (≥ 2,000 steps, every distinct violation listed) is `npm run test:property`.
// PROPERTY_SEED and PROPERTY_SMOKE_STEPS pick another run; a failure prints the seed, the failing
// step and the shortest replay found.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { migrate } from '../../api/store/migrations.js';
import { createApp, testExecutor } from '../helpers.js';
import { formatReport, runProperty } from '../trust-property-runner.js';

const SEED = Number(process.env.PROPERTY_SEED ?? 20261129);
const STEPS = Number(process.env.PROPERTY_SMOKE_STEPS ?? 150);
const UNLIMITED = { perSecond: 1e9, burst: 1e9 };

describe('trust property: nobody observes or changes anything above their clearance, and versions never go back', () => {
  it(`smoke: ${STEPS} random steps from seed ${SEED}`, { timeout: 600_000 }, async () => {
    const ex = testExecutor();
    try {
      await migrate(ex);
      const app = createApp({ executor: ex, rateLimit: UNLIMITED });
      const r = await runProperty(ex, app, { seed: SEED, steps: STEPS, shrinkSeconds: 60, log: (l) => console.log(l) });
      console.log(formatReport(r).split('\n')[0]);
      if (r.violations.length) assert.fail(formatReport(r));
    } finally {
      await ex.close();
    }
  });

  it('can fail: a model that miscounts degree by one is caught', { timeout: 300_000 }, async () => {
    const ex = testExecutor();
    try {
      await migrate(ex);
      const app = createApp({ executor: ex, rateLimit: UNLIMITED });
      const r = await runProperty(ex, app, { seed: SEED, steps: 80, collect: true, shrinkSeconds: 0, sabotage: 'degree-plus-one' });
      assert.ok(r.reports.some((x) => x.category.startsWith('entity: degree')), `not caught: ${r.reports.map((x) => x.category).join('; ')}`);
    } finally {
      await ex.close();
    }
  });
});
