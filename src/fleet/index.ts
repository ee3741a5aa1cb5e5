export * from './canary-fleet';
export * from './fleet-synth-error';
export * from './render-fleet-app';
