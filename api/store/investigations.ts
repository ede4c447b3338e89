// Saved viewer investigations: a name and the viewer's JSON state, kept apart from the graph.
import { randomUUID } from 'node:crypto';
import { GraphQLError } from 'graphql';
import type { Executor } from './executor.js';

export interface InvestigationRecord {
  id: string;
  name: string;
  state: unknown;
  createdAt: string;
  updatedAt: string;
}

const MAX_STATE = 2_000_000;

function toRecord(p: Record<string, unknown>): InvestigationRecord {
  return { id: p.id as string, name: p.name as string, state: JSON.parse(p.state as string), createdAt: p.createdAt as string, updatedAt: p.updatedAt as string };
}

export async function saveInvestigation(ex: Executor, input: { id?: string | null; name: string; state: unknown }, owner: string) {
  const state = JSON.stringify(input.state ?? null);
  if (!input.name?.trim() || input.name.length > 200) {
    throw new GraphQLError('input.name: required, at most 200 characters', { extensions: { code: 'BAD_USER_INPUT', field: 'input.name' } });
  }
  if (input.id != null && !/^[A-Za-z0-9._:-]{1,100}$/.test(input.id)) {
    throw new GraphQLError('input.id: letters, digits, . _ : - only, at most 100', { extensions: { code: 'BAD_USER_INPUT', field: 'input.id' } });
  }
  if (state.length > MAX_STATE) throw new GraphQLError(`input.state: larger than ${MAX_STATE} bytes`, { extensions: { code: 'BAD_USER_INPUT', field: 'input.state' } });
  const id = input.id ?? randomUUID();
  const now = new Date().toISOString();
  const rows = await ex.write((tx) => ex.run<{ i: { properties: Record<string, unknown> } }>(tx,
    `MERGE (i:Investigation {id: $id}) ON CREATE SET i.createdAt = $now, i.owner = $owner
     SET i.name = $name, i.state = $state, i.updatedAt = $now RETURN i`,
    { id, name: input.name.trim(), state, now, owner }));
  return toRecord(rows[0].i.properties);
}

export async function getInvestigation(ex: Executor, id: string): Promise<InvestigationRecord | null> {
  const rows = await ex.read<{ i: { properties: Record<string, unknown> } }>('MATCH (i:Investigation {id: $id}) RETURN i', { id });
  return rows.length ? toRecord(rows[0].i.properties) : null;
}

export async function listInvestigations(ex: Executor, first: number): Promise<InvestigationRecord[]> {
  const rows = await ex.read<{ i: { properties: Record<string, unknown> } }>(
    'MATCH (i:Investigation) RETURN i ORDER BY i.updatedAt DESC LIMIT $first', { first });
  return rows.map((r) => toRecord(r.i.properties));
}
