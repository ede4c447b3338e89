// npm run keys -- create --role <reader|analyst|admin> [--tlp <TLP>] --name <label>
//                 list | revoke <id>
// The new key is printed alone on the last line of output; only its hash is stored.
import { parseArgs } from 'node:util';
import type { Role } from '../api/graphql/context.js';
import { neo4jSettings } from '../core/config.js';
import { isTlp, type Tlp } from '../model/model.js';
import { Executor } from '../api/store/executor.js';
import { migrate } from '../api/store/migrations.js';
import { createKey, listKeys, revokeKey } from '../api/store/keys.js';

const ROLES: Role[] = ['READER', 'ANALYST', 'ADMIN'];
const DEFAULT_CLEARANCE: Record<Role, Tlp> = { READER: 'GREEN', ANALYST: 'AMBER', ADMIN: 'RED' };

async function main(): Promise<number> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { role: { type: 'string' }, tlp: { type: 'string' }, name: { type: 'string' } },
  });
  const [command, arg] = positionals;
  const ex = new Executor(neo4jSettings());
  try {
    await migrate(ex);
    if (command === 'create') {
      const role = values.role?.toUpperCase() as Role;
      if (!ROLES.includes(role)) throw new Error('--role must be reader, analyst or admin');
      const tlp = (values.tlp?.toUpperCase() ?? DEFAULT_CLEARANCE[role]) as Tlp;
      if (!isTlp(tlp)) throw new Error('--tlp must be CLEAR, GREEN, AMBER or RED');
      if (!values.name) throw new Error('--name is required (a label for whoever holds the key)');
      const { key, record } = await createKey(ex, values.name, role, tlp);
      console.log(`created key ${record.id} "${record.name}" role ${record.role}, clearance TLP:${record.clearance}. Shown once; store it now:`);
      console.log(key);
      return 0;
    }
    if (command === 'list') {
      for (const k of await listKeys(ex)) {
        console.log(`${k.id}\t${k.role}\tTLP:${k.clearance}\t${k.revokedAt ? `revoked ${k.revokedAt}` : 'active'}\t${k.name}`);
      }
      return 0;
    }
    if (command === 'revoke' && arg) {
      const ok = await revokeKey(ex, arg);
      console.log(ok ? `revoked key ${arg}` : `no active key ${arg}`);
      return ok ? 0 : 1;
    }
    console.error('usage: npm run keys -- create --role <reader|analyst|admin> [--tlp <TLP>] --name <label> | list | revoke <id>');
    return 2;
  } finally {
    await ex.close();
  }
}

main().then((c) => process.exit(c), (e: Error) => { console.error(`keys: ${e.message}`); process.exit(1); });
