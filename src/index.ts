/** Public API of cdk8s-canary: the constructs (runtime and lint exports are added by their owners). */
export * from './constructs';
export * from './fleet';
