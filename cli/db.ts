// npm run db:start | db:stop | db:status
import { boltUri, ensureJars, localDbConfig, runningPid, startDb, stopDb } from '../db/launcher.js';

const command = process.argv[2];

async function main(): Promise<number> {
  const config = localDbConfig();
  switch (command) {
    case 'start': {
      const t0 = Date.now();
      const { pid, started } = await startDb(config);
      const secs = ((Date.now() - t0) / 1000).toFixed(1);
      console.log(started
        ? `db: Neo4j started (pid ${pid}) in ${secs} s at ${boltUri(config)}, data in ${config.home}`
        : `db: Neo4j already running (pid ${pid}) at ${boltUri(config)}`);
      return 0;
    }
    case 'jars':
      ensureJars();
      return 0;
    case 'stop':
      console.log((await stopDb(config)) ? 'db: Neo4j stopped; data kept' : 'db: Neo4j was not running');
      return 0;
    case 'status': {
      const pid = runningPid(config);
      console.log(pid ? `db: running (pid ${pid}) at ${boltUri(config)}, data in ${config.home}` : 'db: not running');
      return pid ? 0 : 3;
    }
    default:
      console.error('usage: tsx cli/db.ts start|stop|status|jars');
      return 2;
  }
}

main().then((code) => process.exit(code), (e: Error) => { console.error(e.message); process.exit(1); });
