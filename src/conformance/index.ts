export * from './case-result';
export * from './format-report';
export * from './run-vector-file';
