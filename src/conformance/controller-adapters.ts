import type { Adapter } from './case-result';

/** Adapters for controller-scenarios.json (whole controller ticks). */
export const CONTROLLER_ADAPTERS: Readonly<Record<string, Adapter>> = {};
