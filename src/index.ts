/** Public API of cdk8s-canary: the constructs, the fleet synthesizer, the lint rules (and their cdk8s validation plugin), and the runtime. */
export * from './constructs';
export * from './fleet';
export * from './lint';
export * as runtime from './runtime';
export { CanaryMigration, type CanaryMigrationProps } from './migration';
