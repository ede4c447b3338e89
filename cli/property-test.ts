// `npm run test:property`: the full run of the trust property (test/trust-property-model.ts) on
// the test Neo4j. Settings by environment: PROPERTY_STEPS (2000), PROPERTY_SEED (random, printed),
// PROPERTY_COLLECT (1: keep going after a violation and list every distinct one; 0: stop at the
// first), PROPERTY_SHRINK_SECONDS (120, shared by all shrinks), PROPERTY_PROGRESS (every 100
// steps), PROPERTY_SABOTAGE (break one model rule on purpose: degree-plus-one | hide-nothing).
// Ends with a one-line summary; exits 1 when any invariant broke.
import { createApp } from '../api/http/app.js';
import { migrate } from '../api/store/migrations.js';
import { testExecutor } from '../test/helpers.js';
import { formatReport, runProperty } from '../test/trust-property-runner.js';

const env = process.env;
const seed = Number(env.PROPERTY_SEED ?? Math.floor(Math.random() * 2 ** 31));
const steps = Number(env.PROPERTY_STEPS ?? 2000);

async function main(): Promise<number> {
  const ex = testExecutor();
  try {
    await migrate(ex);
    const app = createApp({ executor: ex, rateLimit: { perSecond: 1e9, burst: 1e9 } });
    console.log(`property: seed=${seed} steps=${steps} (replay with PROPERTY_SEED=${seed})`);
    const r = await runProperty(ex, app, {
      seed, steps, collect: env.PROPERTY_COLLECT !== '0', shrinkSeconds: Number(env.PROPERTY_SHRINK_SECONDS ?? 120),
      progressEvery: Number(env.PROPERTY_PROGRESS ?? 100), sabotage: env.PROPERTY_SABOTAGE, log: (l) => console.log(l),
    });
    const report = formatReport(r);
    console.log(report.split('\n').slice(1).join('\n'));
    console.log(report.split('\n')[0]);
    return r.violations.length ? 1 : 0;
  } finally {
    await ex.close();
  }
}

main().then((code) => process.exit(code), (e: Error) => { console.error(e); process.exit(1); });
