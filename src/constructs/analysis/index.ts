export * from './canary-analysis';
export * from './canary-analysis-template';
export * from './canary-metric';
export * from './istio-promql';
export * from './prometheus-source';
export { formatGoDuration } from './go-duration';
