import { graphResolvers } from './graph.js';
import { queryResolvers } from './query.js';
import { scalars } from './scalars.js';

export const resolvers = [scalars, graphResolvers, queryResolvers];
