// core/config.ts: every environment variable checked when a program starts; a bad value is one line
// naming the variable, the value and what is expected. No database.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, it } from 'node:test';
import {
  ConfigError, connectionSettings, loadConfig, localDbConfig, maxBodyBytes, neo4jSettings, projectRoot, rateLimitSettings, serverSettings,
} from '../../core/config.js';

/** The message `fn` fails with, which must be a ConfigError. */
function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof ConfigError, String(e));
    return e.message;
  }
  assert.fail('expected a ConfigError');
}

describe('config', () => {
  it('defaults when nothing is set (or a variable is empty)', () => {
    const c = loadConfig({});
    assert.deepEqual(c.server, { host: '127.0.0.1', port: 4000, queryTimeoutMs: 15_000, queryBudgetMs: 5_000, queryBudgetMaxMs: 15_000 });
    assert.equal(c.limits.maxBodyBytes, 5 * 1024 * 1024);
    assert.deepEqual(c.limits.rateLimit, { perSecond: 50, burst: 200, anonymous: { perSecond: 20, burst: 100 }, trustProxy: 0, maxBuckets: 10_000 });
    assert.deepEqual(c.neo4j, { uri: undefined, user: 'neo4j', password: undefined, database: 'neo4j' });
    assert.deepEqual(c.localDb, {
      home: path.join(projectRoot, '.data/neo4j'), boltPort: 7687, httpPort: 7474, heap: '4g', pagecache: '4g', txTimeout: '60s',
    });
    assert.deepEqual(loadConfig({ PORT: '', QUERY_TIMEOUT_MS: ' ', NEO4J_URI: '' }), c);
  });

  it('reads what is set', () => {
    assert.deepEqual(serverSettings({ HOST: '0.0.0.0', PORT: '0', QUERY_TIMEOUT_MS: '500' }),
      { host: '0.0.0.0', port: 0, queryTimeoutMs: 500, queryBudgetMs: 500, queryBudgetMaxMs: 500 }, 'the budget never exceeds the timeout');
    assert.deepEqual(serverSettings({ QUERY_BUDGET_MS: '2000', QUERY_BUDGET_MAX_MS: '9000' }),
      { host: '127.0.0.1', port: 4000, queryTimeoutMs: 15_000, queryBudgetMs: 2_000, queryBudgetMaxMs: 9_000 });
    assert.throws(() => serverSettings({ QUERY_BUDGET_MS: '20000' }), /QUERY_BUDGET_MS="20000" must be an integer from 1 to 15000/);
    assert.throws(() => serverSettings({ QUERY_BUDGET_MS: '3000', QUERY_BUDGET_MAX_MS: '2000' }), /QUERY_BUDGET_MAX_MS="2000" must be an integer from 3000 to 15000/);
    assert.equal(maxBodyBytes({ MAX_BODY_BYTES: '1024' }), 1024);
    const db = localDbConfig({ NEO4J_HOME_DIR: '.data/x', NEO4J_BOLT_PORT: '17687', NEO4J_HTTP_PORT: '17474', NEO4J_HEAP: '1g', NEO4J_PAGECACHE: '512m', NEO4J_TX_TIMEOUT: '0' });
    assert.deepEqual(db, { home: path.join(projectRoot, '.data/x'), boltPort: 17687, httpPort: 17474, heap: '1g', pagecache: '512m', txTimeout: '0' });
    assert.deepEqual(neo4jSettings({ NEO4J_URI: 'neo4j+s://db.example.com', NEO4J_USER: 'me', NEO4J_PASSWORD: 'p w', NEO4J_DATABASE: 'graph' }),
      { uri: 'neo4j+s://db.example.com', user: 'me', password: 'p w', database: 'graph', local: false });
    const set = rateLimitSettings({ RATE_LIMIT_PER_SECOND: '0.5', RATE_LIMIT_BURST: '7', RATE_LIMIT_ANON_PER_SECOND: '1', RATE_LIMIT_ANON_BURST: '2', TRUST_PROXY: 'on' });
    assert.deepEqual([set.perSecond, set.burst, set.anonymous, set.trustProxy], [0.5, 7, { perSecond: 1, burst: 2 }, 1]);
    assert.equal(rateLimitSettings({ TRUST_PROXY: '2' }).trustProxy, 2);
    assert.equal(rateLimitSettings({ TRUST_PROXY: 'off' }).trustProxy, 0);
  });

  it('without NEO4J_URI: the local server, on its Bolt port, with its password file', () => {
    const s = connectionSettings({ user: 'neo4j', database: 'neo4j' }, localDbConfig({ NEO4J_HOME_DIR: '.data/no-such-db', NEO4J_BOLT_PORT: '7999' }));
    assert.deepEqual(s, { uri: 'bolt://127.0.0.1:7999', user: 'neo4j', password: '', database: 'neo4j', local: true });
  });

  it('a bad value is one line: the variable, the value, what is expected', () => {
    assert.equal(refusal(() => loadConfig({ PORT: 'abc' })), 'config: PORT="abc" must be an integer from 0 to 65535 (0: any free port)');
    assert.equal(refusal(() => loadConfig({ QUERY_TIMEOUT_MS: '-5' })), 'config: QUERY_TIMEOUT_MS="-5" must be an integer from 1 to 3600000 (milliseconds)');
    const cases: Array<[Record<string, string>, RegExp]> = [
      [{ PORT: '70000' }, /^config: PORT="70000" must be an integer from 0 to 65535/],
      [{ PORT: '80.5' }, /^config: PORT="80.5" must be an integer/],
      [{ PORT: '1e3' }, /^config: PORT="1e3" must be an integer/],
      [{ HOST: 'my host' }, /^config: HOST="my host" must be a host name or address/],
      [{ QUERY_TIMEOUT_MS: '15s' }, /^config: QUERY_TIMEOUT_MS="15s" must be an integer/],
      [{ MAX_BODY_BYTES: '5MB' }, /^config: MAX_BODY_BYTES="5MB" must be an integer from 1 to 1073741824 \(bytes, at most 1 GiB\)$/],
      [{ MAX_BODY_BYTES: '0' }, /^config: MAX_BODY_BYTES="0"/],
      [{ RATE_LIMIT_PER_SECOND: 'lots' }, /^config: RATE_LIMIT_PER_SECOND="lots" must be a positive number$/],
      [{ RATE_LIMIT_BURST: '0' }, /^config: RATE_LIMIT_BURST="0" must be a positive number$/],
      [{ RATE_LIMIT_ANON_PER_SECOND: '-1' }, /^config: RATE_LIMIT_ANON_PER_SECOND="-1"/],
      [{ RATE_LIMIT_ANON_BURST: 'NaN' }, /^config: RATE_LIMIT_ANON_BURST="NaN"/],
      [{ TRUST_PROXY: 'yes please' }, /^config: TRUST_PROXY="yes please" must be false, true or the number of proxies/],
      [{ NEO4J_URI: 'http://localhost:7474' }, /^config: NEO4J_URI="http:\/\/localhost:7474" must be a Bolt URI/],
      [{ NEO4J_URI: 'localhost:7687' }, /^config: NEO4J_URI="localhost:7687" must be a Bolt URI/],
      [{ NEO4J_USER: 'neo 4j' }, /^config: NEO4J_USER="neo 4j" must be a user name without spaces$/],
      [{ NEO4J_DATABASE: 'my db' }, /^config: NEO4J_DATABASE="my db"/],
      [{ NEO4J_BOLT_PORT: 'seven' }, /^config: NEO4J_BOLT_PORT="seven" must be an integer from 1 to 65535$/],
      [{ NEO4J_HTTP_PORT: '0' }, /^config: NEO4J_HTTP_PORT="0" must be an integer from 1 to 65535$/],
      [{ NEO4J_HEAP: '4GB' }, /^config: NEO4J_HEAP="4GB" must be a memory size such as 4g or 512m$/],
      [{ NEO4J_PAGECACHE: 'lots' }, /^config: NEO4J_PAGECACHE="lots" must be a memory size/],
      [{ NEO4J_TX_TIMEOUT: '1 minute' }, /^config: NEO4J_TX_TIMEOUT="1 minute" must be a duration such as 60s/],
    ];
    for (const [env, expected] of cases) {
      const message = refusal(() => loadConfig(env));
      assert.match(message, expected);
      assert.ok(!message.includes('\n'), 'one line');
    }
  });

  it('the launcher and the tools check the same variables', () => {
    assert.match(refusal(() => localDbConfig({ NEO4J_BOLT_PORT: '-1' })), /^config: NEO4J_BOLT_PORT="-1"/);
    assert.match(refusal(() => neo4jSettings({ NEO4J_URI: 'bolt//x' })), /^config: NEO4J_URI="bolt\/\/x"/);
  });

  it('the server stops at start-up with that one line, before it starts anything', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'cli/serve.ts'], {
      cwd: projectRoot, encoding: 'utf8', timeout: 30_000, env: { ...process.env, PORT: 'abc', NEO4J_URI: 'bolt://127.0.0.1:1' },
    });
    assert.equal(r.status, 1);
    assert.equal(r.stderr.trim(), 'config: PORT="abc" must be an integer from 0 to 65535 (0: any free port)');
    assert.equal(r.stdout, '');
  });
});
