// Builds the HTTP application: GraphQL at /graphql (GraphiQL for browsers), /health, /ready,
// and the viewer at /. Tests call `app.fetch(...)` in-process.
import path from 'node:path';
import { createYoga, useReadinessCheck, type YogaServerInstance } from 'graphql-yoga';
import { createContext, type Context } from '../graphql/context.js';
import { callerFromRequest, verifiedKeyId } from '../graphql/auth.js';
import { useArmor } from './use-armor.js';
import { useBodyLimit } from './use-limits.js';
import { useErrorCodes } from './use-error-codes.js';
import { useRateLimit, type RateLimit } from './use-rate-limit.js';
import { maxBodyBytes, rateLimitSettings } from '../../core/config.js';
import { EXAMPLE_QUERIES } from '../graphql/example-queries.js';
import { renderLocalGraphiQL, useGraphiQLAssets } from './graphiql.js';
import { buildSchema } from '../graphql/schema.js';
import { projectRoot } from '../../core/config.js';
import type { Executor } from '../store/executor.js';
import { useViewer } from './use-viewer.js';

export interface AppOptions {
  executor: Executor;
  viewerDir?: string;
  /** Default: from the environment (RATE_LIMIT_*, TRUST_PROXY); false: no limit (benchmarks, load tests). */
  rateLimit?: RateLimit | false;
  /** The largest request body. Default: from the environment (MAX_BODY_BYTES). */
  maxBodyBytes?: number;
}

export type App = YogaServerInstance<Record<string, unknown>, Context>;

export function createApp({ executor, viewerDir = path.join(projectRoot, 'viewer', 'dist'), rateLimit, maxBodyBytes: maxBody }: AppOptions): App {
  return createYoga<Record<string, unknown>, Context>({
    schema: buildSchema(),
    graphqlEndpoint: '/graphql',
    healthCheckEndpoint: '/health',
    landingPage: false,
    graphiql: {
      title: 'Disinformation graph — GraphiQL',
      defaultTabs: EXAMPLE_QUERIES.map((q) => ({ query: `# ${q.question}\n${q.query}\n` })),
    },
    // From node_modules, not a CDN: GraphiQL works offline (api/http/graphiql.ts).
    renderGraphiQL: renderLocalGraphiQL,
    context: async ({ request }) => createContext(executor, await callerFromRequest(executor, request)),
    plugins: [
      ...(rateLimit === false ? [] : [useRateLimit(rateLimit ?? rateLimitSettings(), (request) => verifiedKeyId(executor, request))]),
      useBodyLimit(maxBody ?? maxBodyBytes()),
      useArmor(),
      useErrorCodes(),
      useReadinessCheck({ endpoint: '/ready', check: () => executor.ping() }),
      useGraphiQLAssets(),
      useViewer(viewerDir),
    ],
  });
}
