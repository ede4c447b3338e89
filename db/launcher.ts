// Starts, stops and inspects a local Neo4j Community server resolved from Maven Central.
// The server runs as a detached `java` process so that it outlives `npm run db:start`.
import { spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import neo4j from 'neo4j-driver';
import { boltUri, localDbConfig, passwordFile, projectRoot, readLocalPassword, type LocalDbConfig } from '../core/config.js';

// Its settings (NEO4J_HOME_DIR, ports, memory, timeout) are read and checked in core/config.ts.
export { boltUri, localDbConfig, passwordFile, projectRoot, readLocalPassword, type LocalDbConfig };

const dbDir = path.dirname(fileURLToPath(import.meta.url));
const libDir = path.join(dbDir, 'lib');
// OpenGDS (db/gds/pom.xml): its own jars go into the server's plugins folder, where Neo4j finds
// procedures; their third-party jars onto the classpath after db/lib.
const gdsDir = path.join(dbDir, 'gds');
const gdsPluginsDir = path.join(gdsDir, 'plugins');
const gdsLibDir = path.join(gdsDir, 'lib');
const gdsStamp = path.join(gdsDir, 'resolved');
const pidFile = (c: LocalDbConfig) => path.join(c.home, 'neo4j.pid');

function mavenCopy(pom: string, outputDirectory: string, extra: string[]): boolean {
  for (let attempt = 1; attempt <= 3; attempt++) {
    const r = spawnSync('mvn', ['-q', '-B', '-f', pom, 'dependency:copy-dependencies',
      `-DoutputDirectory=${outputDirectory}`, '-DincludeScope=runtime', ...extra], { stdio: 'inherit' });
    if (r.status === 0) return true;
    console.error(`db: Maven resolve failed (attempt ${attempt}/3)`);
  }
  return false;
}

/** Resolves the Neo4j and OpenGDS jars with Maven unless they are already there. */
export function ensureJars(): void {
  if (!(fs.existsSync(libDir) && fs.readdirSync(libDir).some((f) => f.startsWith('neo4j-server-')))) {
    console.log('db: resolving Neo4j jars from Maven Central (db/pom.xml) …');
    const started = Date.now();
    if (!mavenCopy(path.join(dbDir, 'pom.xml'), libDir, [])) {
      throw new Error('db: could not resolve the Neo4j jars with Maven; is Maven installed and Maven Central reachable?');
    }
    console.log(`db: jars resolved in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
  ensureGdsJars();
}

/** An artifact's name without its version: jackson-core-2.18.6.jar → jackson-core. */
export const artifactName = (jar: string) => jar.replace(/\.jar$/, '').replace(/-\d[^-]*(-[A-Za-z]+)?$/, '');

/**
 * Resolves OpenGDS into db/gds/ unless the jars of the current db/gds/pom.xml are there (a stamp
 * holds the pom's hash, so a version bump resolves again). Resolved into a scratch folder first,
 * then moved into place, so a failed or concurrent run never leaves half a set.
 */
function ensureGdsJars(): void {
  const pom = path.join(gdsDir, 'pom.xml');
  const hash = createHash('sha256').update(fs.readFileSync(pom)).digest('hex');
  if (fs.existsSync(gdsStamp) && fs.readFileSync(gdsStamp, 'utf8').trim() === hash) return;
  console.log('db: resolving OpenGDS jars from Maven Central (db/gds/pom.xml) …');
  const started = Date.now();
  const scratch = fs.mkdtempSync(path.join(gdsDir, '.resolve-'));
  try {
    const plugins = path.join(scratch, 'plugins');
    const lib = path.join(scratch, 'lib');
    if (!mavenCopy(pom, plugins, ['-DincludeGroupIds=org.neo4j.gds'])
      || !mavenCopy(pom, lib, ['-DexcludeGroupIds=org.neo4j.gds'])) {
      throw new Error('db: could not resolve the OpenGDS jars with Maven; is Maven Central reachable?');
    }
    // One version of each library: Neo4j's. Two commons-text (or Jackson) versions on one
    // classpath stop the server.
    const neo4jArtifacts = new Set(fs.readdirSync(libDir).map(artifactName));
    for (const jar of fs.readdirSync(lib)) {
      if (neo4jArtifacts.has(artifactName(jar))) fs.rmSync(path.join(lib, jar));
    }
    fs.rmSync(gdsPluginsDir, { recursive: true, force: true });
    fs.rmSync(gdsLibDir, { recursive: true, force: true });
    fs.renameSync(plugins, gdsPluginsDir);
    fs.renameSync(lib, gdsLibDir);
    fs.writeFileSync(gdsStamp, hash + '\n');
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
  console.log(`db: OpenGDS jars resolved in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

/** Links the OpenGDS jars into the server's plugins folder (replacing links to older ones); a user's own plugins stay. */
function linkGdsPlugins(pluginsDir: string): void {
  for (const f of fs.readdirSync(pluginsDir)) {
    const p = path.join(pluginsDir, f);
    if (fs.lstatSync(p).isSymbolicLink() && fs.readlinkSync(p).startsWith(gdsDir + path.sep)) fs.rmSync(p);
  }
  for (const jar of fs.readdirSync(gdsPluginsDir).filter((f) => f.endsWith('.jar'))) {
    fs.symlinkSync(path.join(gdsPluginsDir, jar), path.join(pluginsDir, jar));
  }
}

function readPid(c: LocalDbConfig): number | undefined {
  try {
    const pid = Number(fs.readFileSync(pidFile(c), 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // An exited child whose parent has not reaped it yet is a zombie: as good as gone.
  try {
    return !/^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('error', () => resolve(false));
  });
}

export function runningPid(c: LocalDbConfig): number | undefined {
  const pid = readPid(c);
  return pid !== undefined && alive(pid) ? pid : undefined;
}

function writeConfig(c: LocalDbConfig): string {
  const confDir = path.join(c.home, 'conf');
  for (const d of [confDir, 'data', 'logs', 'import', 'plugins', 'run'].map((d) => path.resolve(c.home, d))) {
    fs.mkdirSync(d, { recursive: true });
  }
  const text = fs.readFileSync(path.join(dbDir, 'neo4j.conf'), 'utf8')
    .replaceAll('{{HOME}}', c.home)
    .replaceAll('{{BOLT_PORT}}', String(c.boltPort))
    .replaceAll('{{HTTP_PORT}}', String(c.httpPort))
    .replaceAll('{{HEAP}}', c.heap)
    .replaceAll('{{PAGECACHE}}', c.pagecache)
    .replaceAll('{{TX_TIMEOUT}}', c.txTimeout);
  fs.writeFileSync(path.join(confDir, 'neo4j.conf'), text);
  return confDir;
}

function tail(file: string, lines = 30): string {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/** Starts the server unless it already runs; resolves once Bolt accepts the stored password. */
export async function startDb(c: LocalDbConfig = localDbConfig()): Promise<{ pid: number; started: boolean }> {
  const existing = runningPid(c);
  if (existing !== undefined) {
    await waitForBolt(c, existing);
    return { pid: existing, started: false };
  }
  if (await portOpen(c.boltPort)) {
    throw new Error(`db: port ${c.boltPort} is already in use by another process; set NEO4J_BOLT_PORT or NEO4J_URI`);
  }
  ensureJars();
  const confDir = writeConfig(c);
  const pluginsDir = path.resolve(c.home, 'plugins');
  linkGdsPlugins(pluginsDir);
  const jvmFlags = fs.readFileSync(path.join(dbDir, 'jvm-flags.txt'), 'utf8').split('\n').filter(Boolean);
  const consoleLog = path.join(c.home, 'logs', 'console.log');
  const out = fs.openSync(consoleLog, 'a');
  const child = spawn('java', [
    `-Xms${c.heap}`, `-Xmx${c.heap}`, ...jvmFlags,
    '-cp', [`${libDir}/*`, `${gdsLibDir}/*`, `${pluginsDir}/*`].join(path.delimiter), 'org.neo4j.server.CommunityEntryPoint',
    `--home-dir=${c.home}`, `--config-dir=${confDir}`, '--console-mode',
  ], { detached: true, stdio: ['ignore', out, out], cwd: c.home });
  fs.closeSync(out);
  if (child.pid === undefined) throw new Error('db: could not spawn java; is Java 17 installed?');
  fs.writeFileSync(pidFile(c), String(child.pid));
  child.unref();
  await waitForBolt(c, child.pid, consoleLog);
  await ensurePassword(c);
  return { pid: child.pid, started: true };
}

async function waitForBolt(c: LocalDbConfig, pid: number, log?: string): Promise<void> {
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    if (!alive(pid)) throw new Error(`db: Neo4j exited during start-up. Last log lines:\n${log ? tail(log) : ''}`);
    if (await portOpen(c.boltPort)) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`db: Bolt did not answer on port ${c.boltPort} within 180 s`);
}

/** On first start, replaces the default neo4j/neo4j credentials with a generated password (file mode 0600). */
async function ensurePassword(c: LocalDbConfig): Promise<void> {
  const file = passwordFile(c);
  if (fs.existsSync(file)) return;
  const password = randomBytes(18).toString('base64url');
  const driver = neo4j.driver(boltUri(c), neo4j.auth.basic('neo4j', 'neo4j'));
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        await driver.executeQuery('ALTER CURRENT USER SET PASSWORD FROM $old TO $new',
          { old: 'neo4j', new: password }, { database: 'system' });
        break;
      } catch (e) {
        if (attempt >= 40) throw e;
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  } finally {
    await driver.close();
  }
  fs.writeFileSync(file, password + '\n', { mode: 0o600 });
}

/** Stops the server cleanly (SIGTERM, then SIGKILL after the timeout); data stays on disk. */
export async function stopDb(c: LocalDbConfig = localDbConfig(), timeoutMs = 60_000): Promise<boolean> {
  const pid = runningPid(c);
  if (pid === undefined) {
    fs.rmSync(pidFile(c), { force: true });
    return false;
  }
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + timeoutMs;
  while (alive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
  if (alive(pid)) process.kill(pid, 'SIGKILL');
  while (alive(pid)) await new Promise((r) => setTimeout(r, 100));
  fs.rmSync(pidFile(c), { force: true });
  return true;
}

/** SIGKILL without a clean shutdown: for fault tests only. */
export function killDb(c: LocalDbConfig): void {
  const pid = runningPid(c);
  if (pid !== undefined) process.kill(pid, 'SIGKILL');
}
