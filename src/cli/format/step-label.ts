import type { CanaryStep } from '../../runtime/types';

/** A short human label for a canary step ("setWeight 10%", "pause 15s", "canary scale: 2 pods"). */
export function stepLabel(step: CanaryStep | undefined, fallback: string): string {
  if (!step) return fallback;
  if (step.setWeight !== undefined) return `setWeight ${step.setWeight}%`;
  if (step.pause !== undefined) return step.pause.duration === undefined ? 'pause until promoted' : `pause ${step.pause.duration}`;
  const scale = step.setCanaryScale;
  if (scale !== undefined) {
    if (scale.replicas !== undefined) return `canary scale: ${scale.replicas} pods`;
    if (scale.weight !== undefined) return `canary scale: ${scale.weight}%`;
    if (scale.matchTrafficWeight) return 'canary scale: match weight';
  }
  if (step.analysis !== undefined) return 'analysis';
  if (step.experiment !== undefined) return 'experiment';
  if (step.setHeaderRoute !== undefined) return `${removes(step.setHeaderRoute) ? 'remove ' : ''}header route ${step.setHeaderRoute.name}`;
  if (step.setMirrorRoute !== undefined) return `${removes(step.setMirrorRoute) ? 'remove ' : ''}mirror route ${step.setMirrorRoute.name}`;
  if (step.plugin !== undefined) return `plugin ${String(step.plugin.name ?? '')}`;
  return fallback;
}

/** Two short lines for a timeline column, e.g. ["weight", "10%"] or ["pause", "15s"]. */
export function stepShortLabel(step: CanaryStep | undefined, fallback: string): readonly [string, string] {
  if (!step) return [fallback.split(/[ :{]/)[0] ?? fallback, ''];
  if (step.setWeight !== undefined) return ['weight', `${step.setWeight}%`];
  if (step.pause !== undefined) return ['pause', step.pause.duration === undefined ? 'manual' : String(step.pause.duration)];
  const scale = step.setCanaryScale;
  if (scale !== undefined) {
    if (scale.replicas !== undefined) return ['scale', `${scale.replicas} pods`];
    if (scale.weight !== undefined) return ['scale', `${scale.weight}%`];
    return ['scale', 'match'];
  }
  if (step.analysis !== undefined) return ['analysis', ''];
  if (step.experiment !== undefined) return ['experiment', ''];
  if (step.setHeaderRoute !== undefined) return [removes(step.setHeaderRoute) ? 'no header' : 'header', step.setHeaderRoute.name];
  if (step.setMirrorRoute !== undefined) return [removes(step.setMirrorRoute) ? 'no mirror' : 'mirror', step.setMirrorRoute.name];
  return [fallback, ''];
}

/** A header or mirror route step without matches removes the route (istio.go SetHeaderRoute / SetMirrorRoute). */
function removes(route: { readonly match?: readonly unknown[] }): boolean {
  return (route.match?.length ?? 0) === 0;
}
