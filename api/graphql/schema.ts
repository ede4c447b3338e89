// The API's shape: schema/*.graphql plus the SDL generated from the model (model-sdl.ts: the
// enums, the per-kind types, EntityInput's kind-specific fields); resolvers are attached here.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeExecutableSchema } from '@graphql-tools/schema';
import type { GraphQLSchema } from 'graphql';
import { modelTypeDefs } from './model-sdl.js';
import { resolvers } from './resolvers/index.js';

export const schemaDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'schema');

/** schema/*.graphql, as written. */
export function handWrittenTypeDefs(): string[] {
  return fs.readdirSync(schemaDir).filter((f) => f.endsWith('.graphql')).sort()
    .map((f) => fs.readFileSync(path.join(schemaDir, f), 'utf8'));
}

/** Every type definition of the API: the hand-written files inside the SDL generated from the model. */
export function loadTypeDefs(): string[] {
  const handWritten = handWrittenTypeDefs();
  const generated = modelTypeDefs(handWritten);
  return [generated.definitions, ...handWritten, generated.extensions];
}

export function buildSchema(): GraphQLSchema {
  return makeExecutableSchema({ typeDefs: loadTypeDefs(), resolvers });
}
