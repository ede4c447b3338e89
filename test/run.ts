// `npm test` after typecheck, lint, build and the unit tests (test/unit/, no database): starts a
// Neo4j of its own (other ports, own data folder) unless NEO4J_TEST_URI is set, runs the
// integration and browser test files (test/integration/, test/e2e/) against
// it, then stops and removes it. `--integration` or `--e2e` runs one tier; named files run alone.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { localDbConfig, projectRoot, readLocalPassword, startDb, stopDb } from '../db/launcher.js';

const testEnv = {
  NEO4J_HOME_DIR: process.env.NEO4J_TEST_HOME_DIR ?? '.data/neo4j-test',
  NEO4J_BOLT_PORT: process.env.NEO4J_TEST_BOLT_PORT ?? '17687',
  NEO4J_HTTP_PORT: process.env.NEO4J_TEST_HTTP_PORT ?? '17474',
  NEO4J_HEAP: process.env.NEO4J_TEST_HEAP ?? '1g',
  NEO4J_PAGECACHE: process.env.NEO4J_TEST_PAGECACHE ?? '512m',
};

async function main(): Promise<number> {
  const t0 = Date.now();
  const own = !process.env.NEO4J_TEST_URI;
  const config = localDbConfig({ ...process.env, ...testEnv });
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'test' };
  if (own) {
    fs.rmSync(config.home, { recursive: true, force: true });
    const { pid } = await startDb(config);
    console.log(`test: Neo4j started for the tests (pid ${pid}) in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    Object.assign(env, testEnv, {
      NEO4J_URI: `bolt://127.0.0.1:${config.boltPort}`,
      NEO4J_USER: 'neo4j',
      NEO4J_PASSWORD: readLocalPassword(config),
      NEO4J_TEST_OWN_DB: '1',
    });
  } else {
    Object.assign(env, {
      NEO4J_URI: process.env.NEO4J_TEST_URI,
      NEO4J_USER: process.env.NEO4J_TEST_USER ?? 'neo4j',
      NEO4J_PASSWORD: process.env.NEO4J_TEST_PASSWORD ?? '',
      NEO4J_DATABASE: process.env.NEO4J_TEST_DATABASE ?? 'neo4j',
    });
  }
  // `--exec script.ts` runs a script against the test database instead of the test files.
  const args = process.argv.slice(2);
  const exec = args[0] === '--exec';
  const tier = args[0] === '--integration' || args[0] === '--e2e' ? args[0] : null;
  const tierFiles = (dir: string) => fs.readdirSync(path.join(projectRoot, 'test', dir))
    .filter((f) => f.endsWith('.test.ts')).sort().map((f) => path.join('test', dir, f));
  const files = exec ? args.slice(1) : args.length && !tier ? args
    : [...(tier !== '--e2e' ? tierFiles('integration') : []), ...(tier !== '--integration' ? tierFiles('e2e') : [])];
  const nodeArgs = exec ? ['--import', 'tsx', ...files] : ['--import', 'tsx', '--test', '--test-concurrency=1', '--test-reporter=spec', ...files];
  const child = spawn(process.execPath, nodeArgs, { cwd: projectRoot, env, stdio: 'inherit' });
  const status = await new Promise<number>((resolve) => child.on('exit', (code) => resolve(code ?? 1)));
  if (own) {
    await stopDb(config);
    fs.rmSync(config.home, { recursive: true, force: true });
  }
  console.log(`test: finished in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return status;
}

main().then((code) => process.exit(code), (e: Error) => { console.error(e); process.exit(1); });
