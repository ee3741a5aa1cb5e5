import { describe, expect, it } from 'vitest';
import {
  getAbortScaleDownDelaySecondsOrDefault,
  getMaxTrafficWeight,
  getScaleDownDelaySecondsOrDefault,
} from '../../src/runtime/rollout-defaults';
import type { RolloutSpec } from '../../src/runtime/types';

// Spec §18 (utils/defaults/defaults.go).
const istio = { istio: { virtualService: { name: 'vs' } } };

describe('getScaleDownDelaySecondsOrDefault', () => {
  const rows: { name: string; spec: RolloutSpec; want: number }[] = [
    { name: 'traffic-routed canary defaults to 30', spec: { strategy: { canary: { trafficRouting: istio } } }, want: 30 },
    { name: 'basic canary has no delay', spec: { strategy: { canary: { scaleDownDelaySeconds: 60 } } }, want: 0 },
    { name: 'explicit value with trafficRouting', spec: { strategy: { canary: { trafficRouting: istio, scaleDownDelaySeconds: 5 } } }, want: 5 },
    { name: 'blue-green defaults to 30', spec: { strategy: { blueGreen: {} } }, want: 30 },
  ];
  it.each(rows)('$name', ({ spec, want }) => expect(getScaleDownDelaySecondsOrDefault(spec)).toBe(want));
});

describe('getAbortScaleDownDelaySecondsOrDefault', () => {
  const rows: { name: string; spec: RolloutSpec; want: { delaySeconds: number | undefined; wasSet: boolean } }[] = [
    { name: 'unset with trafficRouting: 30, not set', spec: { strategy: { canary: { trafficRouting: istio } } }, want: { delaySeconds: 30, wasSet: false } },
    { name: 'explicit 0: nil (never via the delay path)', spec: { strategy: { canary: { trafficRouting: istio, abortScaleDownDelaySeconds: 0 } } }, want: { delaySeconds: undefined, wasSet: true } },
    { name: 'explicit 45', spec: { strategy: { canary: { trafficRouting: istio, abortScaleDownDelaySeconds: 45 } } }, want: { delaySeconds: 45, wasSet: true } },
    { name: 'basic canary ignores the field', spec: { strategy: { canary: { abortScaleDownDelaySeconds: 45 } } }, want: { delaySeconds: 0, wasSet: false } },
  ];
  it.each(rows)('$name', ({ spec, want }) => expect(getAbortScaleDownDelaySecondsOrDefault(spec)).toEqual(want));
});

it('maxTrafficWeight defaults to 100', () => {
  expect(getMaxTrafficWeight({ strategy: { canary: { trafficRouting: istio } } })).toBe(100);
  expect(getMaxTrafficWeight({ strategy: { canary: { trafficRouting: { maxTrafficWeight: 1000 } } } })).toBe(1000);
});
