// Types for what test/unit/layers.test.ts imports from eslint.config.js.
import type { Linter } from 'eslint';

export declare const LAYERS: string[];
export declare const boundaryConfig: Linter.Config;
declare const config: Linter.Config[];
export default config;
