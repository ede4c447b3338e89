// Request generators for the fuzz test: random valid operations built from the schema, and
// hostile variants of them (wrong types, huge strings, deep nesting, alias and fragment bombs,
// odd Unicode, injection strings, malformed bodies, wrong methods and content types).
import {
  getNamedType, isEnumType, isInputObjectType, isInterfaceType, isListType, isNonNullType, isObjectType, isScalarType,
  type GraphQLField, type GraphQLInputType, type GraphQLSchema, type GraphQLOutputType,
} from 'graphql';
import { mulberry32 } from '../seed/synthetic.js';

export type Rng = () => number;

/** The synthetic generator's seeded PRNG: the fuzz run is reproducible from its seed. */
export const rng = (seed: number): Rng => mulberry32(seed);

export const pick = <T>(r: Rng, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];

export const INJECTIONS = [
  '"}) MATCH (n) DETACH DELETE n //',
  "' OR 1=1 WITH true AS x MATCH (n) DETACH DELETE n //",
  '`) DETACH DELETE n //',
  'iran"}) SET n.name = "pwned" //',
  '*/ MATCH (n) SET n.tlp = "CLEAR" /*',
  '\\u0027 CALL dbms.killQueries() //',
  '$f.tlps',
  'name:* OR description:*~ AND (',
  'MATCH (n) RETURN n',
];

const ODD = ['\u202E\u0645\u0631\u062D\u0628\u0627', 'a\u200Bb\u200Dc', '\uD83D\uDE00\u0000x', '\uFFFF\uFFFE', 'e\u0301\u0301\u0301', '\t\n\r', '%00%27', '\\'];
const IDS = ['iran', 'russia', 'host-estonian-textbook-site', 'tg-democratic-voters', 'campaign-iran-spoofed-emails-2020', 'src-article', 'no-such-id', ''];

export function randomString(r: Rng): string {
  const roll = r();
  if (roll < 0.35) return pick(r, IDS);
  if (roll < 0.5) return pick(r, ['Iran', 'Estonia', 'Proud Boys', 'voters', 'إيران', '2020-10-21']);
  if (roll < 0.7) return pick(r, INJECTIONS);
  if (roll < 0.9) return pick(r, ODD);
  return 'x'.repeat(Math.floor(r() * 20_000));
}

function randomValue(r: Rng, type: GraphQLInputType, depth = 0): unknown {
  if (isNonNullType(type)) return randomValue(r, type.ofType, depth);
  if (r() < 0.08) return null;
  if (isListType(type)) return Array.from({ length: Math.floor(r() * 3) }, () => randomValue(r, type.ofType, depth + 1));
  if (isEnumType(type)) return pick(r, type.getValues()).value;
  if (isInputObjectType(type)) {
    if (depth > 3) return {};
    const out: Record<string, unknown> = {};
    for (const [name, f] of Object.entries(type.getFields())) {
      if (isNonNullType(f.type) || r() < 0.4) out[name] = randomValue(r, f.type, depth + 1);
    }
    return out;
  }
  if (isScalarType(type)) {
    switch (type.name) {
      case 'Int': return pick(r, [0, 1, 2, 3, 5, 50, -1, 99, 100, 101, 1_000_000]);
      case 'Float': return r() * 100;
      case 'Boolean': return r() < 0.5;
      case 'DateTime': return pick(r, ['2020-10-21', '2016-01-01T00:00:00Z', 'yesterday', '2020-13-45', '']);
      case 'JSON': return pick(r, [{}, { nodes: ['iran'] }, [1, 2], 'text', 42]);
      default: return randomString(r);
    }
  }
  return null;
}

function selection(r: Rng, type: GraphQLOutputType, depth: number): string {
  const named = getNamedType(type);
  if (!(isObjectType(named) || isInterfaceType(named))) return '';
  const fields = Object.values(named.getFields());
  const scalars = fields.filter((f) => !isObjectType(getNamedType(f.type)) && !isInterfaceType(getNamedType(f.type)) && f.args.every((a) => !isNonNullType(a.type)));
  const objects = fields.filter((f) => (isObjectType(getNamedType(f.type)) || isInterfaceType(getNamedType(f.type))) && f.args.every((a) => !isNonNullType(a.type)));
  const chosen = new Set<string>(['__typename']);
  for (let i = 0; i < 1 + Math.floor(r() * 3) && scalars.length; i++) chosen.add(pick(r, scalars).name);
  if (depth < 3 && objects.length && r() < 0.7) {
    const f = pick(r, objects);
    const sub = selection(r, f.type, depth + 1);
    if (sub) chosen.add(`${f.name} ${sub}`);
  }
  if (isInterfaceType(named) && r() < 0.3) chosen.add('... on Host { compromised country }');
  return `{ ${[...chosen].join(' ')} }`;
}

/** A random operation on a root field, with its arguments passed as variables. */
export function randomOperation(r: Rng, schema: GraphQLSchema, root: 'query' | 'mutation' = 'query') {
  const type = root === 'query' ? schema.getQueryType()! : schema.getMutationType()!;
  const field: GraphQLField<unknown, unknown> = pick(r, Object.values(type.getFields()));
  const variables: Record<string, unknown> = {};
  const defs: string[] = [];
  const args: string[] = [];
  for (const a of field.args) {
    if (!isNonNullType(a.type) && r() < 0.5) continue;
    variables[a.name] = randomValue(r, a.type);
    defs.push(`$${a.name}: ${a.type.toString()}`);
    args.push(`${a.name}: $${a.name}`);
  }
  const sel = selection(r, field.type, 0);
  const query = `${root}${defs.length ? `(${defs.join(', ')})` : ''} { ${field.name}${args.length ? `(${args.join(', ')})` : ''} ${sel} }`;
  return { query, variables, field: field.name };
}

/** Every string-typed argument path of the query root, for the injection sweep. */
export function stringArgumentQueries(schema: GraphQLSchema, payload: string): Array<{ query: string; variables: Record<string, unknown> }> {
  const q = schema.getQueryType()!;
  const out: Array<{ query: string; variables: Record<string, unknown> }> = [];
  for (const f of Object.values(q.getFields())) {
    const base: Record<string, unknown> = {};
    for (const a of f.args) if (isNonNullType(a.type)) base[a.name] = sample(a.type, 'iran');
    for (const a of f.args) {
      for (const value of injectVariants(a.type, payload)) {
        const variables = { ...base, [a.name]: value };
        const defs = f.args.filter((x) => x.name in variables).map((x) => `$${x.name}: ${x.type.toString()}`);
        const args = f.args.filter((x) => x.name in variables).map((x) => `${x.name}: $${x.name}`);
        const sel = selection(rng(1), f.type, 2);
        out.push({ query: `query(${defs.join(', ')}) { ${f.name}(${args.join(', ')}) ${sel} }`, variables });
      }
    }
  }
  return out;
}

function sample(type: GraphQLInputType, s: string): unknown {
  if (isNonNullType(type)) return sample(type.ofType, s);
  if (isListType(type)) return [sample(type.ofType, s)];
  if (isEnumType(type)) return type.getValues()[0].value;
  if (isInputObjectType(type)) return {};
  if (isScalarType(type)) return type.name === 'Int' ? 1 : type.name === 'Boolean' ? true : type.name === 'DateTime' ? '2020-10-21' : s;
  return null;
}

/** Values for one argument that put `payload` in each string position it has. */
function injectVariants(type: GraphQLInputType, payload: string): unknown[] {
  const inner = isNonNullType(type) ? type.ofType : type;
  if (isListType(inner)) return injectVariants(inner.ofType, payload).map((v) => [v]);
  if (isScalarType(inner) && (inner.name === 'String' || inner.name === 'ID')) return [payload];
  if (isInputObjectType(inner)) {
    return Object.values(inner.getFields()).flatMap((f) => injectVariants(f.type, payload).map((v) => ({ [f.name]: v })));
  }
  return [];
}

export function aliasBomb(n: number): string {
  return `{ ${Array.from({ length: n }, (_, i) => `a${i}: search(text: "Iran") { score }`).join(' ')} }`;
}

export function deepQuery(depth: number): string {
  let inner = 'id';
  for (let i = 0; i < depth; i++) inner = `links { from { ${inner} } }`;
  return `{ entity(id: "iran") { ${inner} } }`;
}

export function fragmentBomb(levels: number): string {
  const frags = [`fragment F0 on Query { stats { nodes } }`];
  for (let i = 1; i <= levels; i++) frags.push(`fragment F${i} on Query { ...F${i - 1} a${i}: stats { links } ...F${i - 1} }`);
  return `query { ...F${levels} } ${frags.join(' ')}`;
}

export const FRAGMENT_CYCLE = 'query { ...A } fragment A on Query { ...B } fragment B on Query { ...A }';
