export * from './finding';
export * from './lint-manifests';
export * from './rule';
export * from './rule-catalogue';
export * from './canary-lint-validation';
