/** CanaryApp's analysis concern: the check of `analysis` and what the analysis is told about the app. */
import type { CanaryStep as CanaryStepSpec } from '../runtime/types';
import type { Resolved } from './_app-resolved';
import { CanaryAnalysis, type AnalysisBindContext } from './analysis';
import type { CanaryAppProps } from './canary-app-props';
import type { ProblemList } from './canary-app-error';
import { NAME_SUFFIXES } from './defaults';

/** Analysis: its problems join the app's, under `analysis.`. */
export function checkAnalysis(analysis: CanaryAppProps['analysis'], app: Pick<Resolved, 'name' | 'namespace' | 'names' | 'split' | 'steps'>, problems: ProblemList): void {
  if (analysis === undefined) return;
  if (!(analysis instanceof CanaryAnalysis)) {
    problems.add('analysis', analysis, 'must be a CanaryAnalysis, e.g. CanaryAnalysis.errorRateGate(PrometheusSource.mimir(address, tenant))');
    return;
  }
  for (const p of analysis.problems(analysisContext(app), 'analysis.')) problems.add(p.path, p.value, p.expected);
}

/** What the analysis needs to know about the app (see `src/constructs/analysis`). */
export function analysisContext(ok: Pick<Resolved, 'name' | 'namespace' | 'names' | 'split' | 'steps'>): AnalysisBindContext<CanaryStepSpec> {
  const host = ok.split.mode === 'host';
  return {
    defaultTemplateName: `${ok.name}${NAME_SUFFIXES.analysisTemplate}`,
    namespace: ok.namespace,
    canaryService: host ? ok.names.canaryService : undefined,
    stableService: host ? ok.names.stableService : undefined,
    trafficSplit: ok.split.mode,
    steps: ok.steps,
  };
}
