// npm run judgements -- export <file>            every judgement, as a file to keep in git
//                        import <file> [--apply]  store a file's judgements; --apply also merges
//                                                  its SAME pairs (into the survivor it names), so a
//                                                  re-import of the same sources converges
// Runs as the local operator (the database password's holder: clearance RED). docs/resolution.md.
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { neo4jSettings } from '../core/config.js';
import { Executor } from '../api/store/executor.js';
import { migrate } from '../api/store/migrations.js';
import { checkJudgementFile, importJudgements, judgementFile, listJudgements } from '../api/store/resolution-judgements.js';
import { mergeEntities } from '../api/store/resolution-merge.js';

const ACTOR = 'judgements import';

async function main(): Promise<number> {
  const { positionals, values } = parseArgs({ allowPositionals: true, options: { apply: { type: 'boolean', default: false } } });
  const [command, file] = positionals;
  if (!file || !['export', 'import'].includes(command)) {
    console.error('usage: npm run judgements -- export <file> | import <file> [--apply]');
    return 2;
  }
  const ex = new Executor(neo4jSettings());
  try {
    await migrate(ex);
    if (command === 'export') {
      const out = judgementFile(await listJudgements(ex, 'RED'));
      fs.writeFileSync(file, `${JSON.stringify(out, null, 2)}\n`);
      console.log(`judgements: exported ${out.judgements.length} to ${file}`);
      return 0;
    }
    const { file: parsed, problems } = checkJudgementFile(JSON.parse(fs.readFileSync(file, 'utf8')) as unknown);
    if (!parsed) {
      for (const p of problems) console.error(`judgements: ${file}: ${p}`);
      return 1;
    }
    const stored = await importJudgements(ex, parsed, ACTOR);
    let merged = 0, skipped = 0;
    if (values.apply) {
      // Merge each SAME pair whose two ends are still separate entities; one already merged, or gone, is skipped.
      const same = parsed.judgements.filter((j) => j.verdict === 'SAME');
      for (const [i, j] of same.entries()) {
        const into = j.into ?? j.a;
        const other = into === j.a ? j.b : j.a;
        const rows = await ex.read<{ n: number }>('MATCH (n:Entity) WHERE n.id IN $ids RETURN count(n) AS n', { ids: [into, other] });
        if (rows[0].n < 2) { skipped++; continue; }
        await mergeEntities(ex, { into, from: [other], reason: j.note ?? 'judgements import' }, ACTOR, 'RED', { judgementNote: j.note });
        merged++;
        if ((i + 1) % 50 === 0) console.error(`judgements: ${i + 1}/${same.length} SAME pairs applied`);
      }
    }
    console.log(`judgements: ${stored} stored from ${file}${values.apply ? `; ${merged} merged, ${skipped} skipped (already one, or absent)` : ''}`);
    return 0;
  } finally {
    await ex.close();
  }
}

main().then((c) => process.exit(c), (e: Error) => { console.error(`judgements: ${e.message}`); process.exit(1); });
