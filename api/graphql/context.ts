// What each request carries: who is calling (role, TLP clearance) and its own DataLoaders,
// so nothing is cached across requests and any API instance can serve any request.
import type { Tlp } from '../../model/model.js';
import type { Executor } from '../store/executor.js';
import { createLoaders, type Loaders } from './loaders.js';

import type { Role } from '../store/keys.js';

export type { Role };

export interface Caller {
  /** null for an anonymous caller */
  keyId: string | null;
  name: string;
  role: Role;
  clearance: Tlp;
}

export interface Context {
  executor: Executor;
  caller: Caller;
  loaders: Loaders;
}

export const ANONYMOUS: Caller = { keyId: null, name: 'anonymous', role: 'READER', clearance: 'CLEAR' };

export function createContext(executor: Executor, caller: Caller): Context {
  return { executor, caller, loaders: createLoaders(executor, caller.clearance) };
}
