// Idempotent schema migrations: uniqueness constraints, indexes and the full-text index.
import type { Session } from 'neo4j-driver';
import { searchKey } from '../../core/validate.js';
import { ENTITY_KINDS, KIND_LABEL, LINK_TYPE_NAMES } from '../../model/model.js';
import type { Executor } from './executor.js';

export function migrationStatements(): string[] {
  const statements = [
    'CREATE CONSTRAINT entity_id IF NOT EXISTS FOR (n:Entity) REQUIRE n.id IS UNIQUE',
    'CREATE INDEX entity_kind IF NOT EXISTS FOR (n:Entity) ON (n.kind)',
    'CREATE INDEX entity_name IF NOT EXISTS FOR (n:Entity) ON (n.name)',
    'CREATE FULLTEXT INDEX entity_text IF NOT EXISTS FOR (n:Entity) ON EACH [n.name, n.aliasText, n.description]',
    // External ids (T0800, G0034, T0097.101), one per line: search finds them as exact phrases.
    'CREATE FULLTEXT INDEX entity_ids IF NOT EXISTS FOR (n:Entity) ON EACH [n.externalIdText]',
    // What `search` queries: normalised name and aliases (core/validate.ts searchKey), description,
    // and kind and marking, so that kind and clearance filters run inside the index query.
    'CREATE FULLTEXT INDEX entity_search IF NOT EXISTS FOR (n:Entity) ON EACH [n.nameKey, n.aliasKeyText, n.description, n.kind, n.tlp]',
    // `lookup(kind, name)`: an entity by its normalised name.
    'CREATE INDEX entity_name_key IF NOT EXISTS FOR (n:Entity) ON (n.nameKey)',
    'CREATE CONSTRAINT api_key_id IF NOT EXISTS FOR (k:ApiKey) REQUIRE k.id IS UNIQUE',
    'CREATE CONSTRAINT api_key_hash IF NOT EXISTS FOR (k:ApiKey) REQUIRE k.hash IS UNIQUE',
    'CREATE CONSTRAINT investigation_id IF NOT EXISTS FOR (i:Investigation) REQUIRE i.id IS UNIQUE',
    // Notes (api/store/notes.ts): by id, and by the id of what they annotate.
    'CREATE CONSTRAINT note_id IF NOT EXISTS FOR (n:Note) REQUIRE n.id IS UNIQUE',
    'CREATE INDEX note_target IF NOT EXISTS FOR (n:Note) ON (n.target)',
    'CREATE CONSTRAINT draft_id IF NOT EXISTS FOR (d:Draft) REQUIRE d.id IS UNIQUE',
    'CREATE CONSTRAINT source_text_id IF NOT EXISTS FOR (t:SourceText) REQUIRE t.sourceId IS UNIQUE',
    'CREATE INDEX audit_at IF NOT EXISTS FOR (a:AuditRecord) ON (a.at)',
    // Entity resolution (docs/resolution.md): merge records, merged-away ids, analysts' judgements.
    'CREATE CONSTRAINT merge_record_id IF NOT EXISTS FOR (m:MergeRecord) REQUIRE m.id IS UNIQUE',
    'CREATE INDEX merged_entity_id IF NOT EXISTS FOR (m:MergedEntity) ON (m.id)',
    'CREATE INDEX merged_entity_merge IF NOT EXISTS FOR (m:MergedEntity) ON (m.mergeId)',
    'CREATE CONSTRAINT judgement_key IF NOT EXISTS FOR (j:Judgement) REQUIRE j.key IS UNIQUE',
    // import --resolve finds observables however they were written (jgtm[.]org, hxxp://www.jgtm.org/) by their tokens.
    "CREATE FULLTEXT INDEX entity_observables IF NOT EXISTS FOR (n:Entity) ON EACH [n.name, n.aliasText, n.value, n.handle, n.url, n.email] OPTIONS {indexConfig: {`fulltext.analyzer`: 'standard-no-stop-words'}}",
  ];
  for (const kind of ENTITY_KINDS) {
    const label = KIND_LABEL[kind];
    statements.push(`CREATE CONSTRAINT ${label.toLowerCase()}_id IF NOT EXISTS FOR (n:${label}) REQUIRE n.id IS UNIQUE`);
  }
  for (const type of LINK_TYPE_NAMES) {
    statements.push(`CREATE CONSTRAINT rel_${type.toLowerCase()}_id IF NOT EXISTS FOR ()-[r:${type}]-() REQUIRE r.id IS UNIQUE`);
  }
  return statements;
}

export async function migrate(executor: Executor): Promise<number> {
  const statements = migrationStatements();
  const session = executor.driver.session({ database: executor.settings.database });
  try {
    // Schema commands cannot share a transaction with each other; each runs on its own.
    for (const s of statements) await session.run(s);
    await session.run('CALL db.awaitIndexes(120)');
    await backfillSearchKeys(session);
  } finally {
    await session.close();
  }
  return statements.length;
}

/** Entities written before `nameKey` existed get their search keys, 5,000 at a time. */
async function backfillSearchKeys(session: Session): Promise<void> {
  for (;;) {
    const res = await session.run<{ id: string; name: string | null; aliases: string[] | null }>(
      'MATCH (n:Entity) WHERE n.nameKey IS NULL RETURN n.id AS id, n.name AS name, n.aliases AS aliases LIMIT 5000');
    if (!res.records.length) return;
    const rows = res.records.map((r) => ({
      id: r.get('id'), nameKey: searchKey(r.get('name') ?? ''),
      aliasKeyText: (r.get('aliases') ?? []).map(searchKey).filter(Boolean).join('\n'),
    }));
    await session.run('UNWIND $rows AS row MATCH (n:Entity {id: row.id}) SET n.nameKey = row.nameKey, n.aliasKeyText = row.aliasKeyText', { rows });
  }
}
