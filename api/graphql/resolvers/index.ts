import { aggregateResolvers } from './aggregates.js';
import { attributionMetricResolvers } from './attribution-metrics.js';
import { analysisResolvers } from './analysis.js';
import { clusterResolvers } from './clusters.js';
import { graphResolvers } from './graph.js';
import { ingestResolvers } from './ingest.js';
import { investigationResolvers } from './investigation.js';
import { limitResolvers } from './limits.js';
import { mutationResolvers } from './mutation.js';
import { noteResolvers } from './notes.js';
import { queryResolvers } from './query.js';
import { resolutionResolvers } from './resolution.js';
import { scalars } from './scalars.js';
import { stixResolvers } from './stix.js';

export const resolvers = [scalars, graphResolvers, queryResolvers, analysisResolvers, aggregateResolvers, mutationResolvers, investigationResolvers, stixResolvers, attributionMetricResolvers, resolutionResolvers, ingestResolvers, clusterResolvers, limitResolvers, noteResolvers];
