import { describe, expect, it } from 'vitest';
import {
  type ObjectMetadata,
  ephemeralMetadataAnnotationValue,
  parseExistingPodMetadata,
  syncEphemeralPodMetadata,
  syncReplicaSetEphemeralPodMetadata,
} from '../../src/runtime/ephemeral-metadata';
import type { PodMetadata } from '../../src/runtime/types';

const KEY = 'rollout.argoproj.io/ephemeral-metadata';

// Spec §15 (utils/replicaset/canary.go).
describe('syncEphemeralPodMetadata', () => {
  const rows: { name: string; meta: ObjectMetadata; existing: PodMetadata; desired: PodMetadata | undefined; want: ObjectMetadata; modified: boolean }[] = [
    {
      name: 'canary -> stable relabel in place, Istio keys untouched',
      meta: { labels: { app: 'x', role: 'canary' }, annotations: { 'sidecar.istio.io/status': '{}' } },
      existing: { labels: { role: 'canary' } },
      desired: { labels: { role: 'stable' } },
      want: { labels: { app: 'x', role: 'stable' }, annotations: { 'sidecar.istio.io/status': '{}' } },
      modified: true,
    },
    {
      name: 'a previously injected key already gone: no modification',
      meta: { labels: { role: 'canary' } },
      existing: { labels: { role: 'canary', tier: 'x' } },
      desired: { labels: { role: 'canary' } },
      want: { labels: { role: 'canary' } },
      modified: false,
    },
    {
      name: 'nil desired removes only injected keys',
      meta: { labels: { app: 'x', role: 'stable' } },
      existing: { labels: { role: 'stable' } },
      desired: undefined,
      want: { labels: { app: 'x' } },
      modified: true,
    },
  ];
  it.each(rows)('$name', ({ meta, existing, desired, want, modified }) => {
    expect(syncEphemeralPodMetadata(meta, existing, desired)).toEqual({ metadata: want, modified });
  });
});

describe('ReplicaSet tracking annotation', () => {
  it('written as Go marshals it (labels first, sorted keys, empty maps omitted)', () => {
    expect(ephemeralMetadataAnnotationValue({ annotations: { b: '2', a: '1' }, labels: { z: '1' } })).toBe('{"labels":{"z":"1"},"annotations":{"a":"1","b":"2"}}');
    expect(ephemeralMetadataAnnotationValue({ labels: {}, annotations: { a: '1' } })).toBe('{"annotations":{"a":"1"}}');
  });
  const parseRows: { name: string; annotations: Record<string, string>; want: PodMetadata | undefined }[] = [
    { name: 'absent', annotations: { other: 'x' }, want: undefined },
    { name: 'not JSON', annotations: { [KEY]: '{' }, want: undefined },
    { name: 'wrong shape', annotations: { [KEY]: '{"labels":["a"]}' }, want: undefined },
    { name: 'valid', annotations: { [KEY]: '{"labels":{"role":"canary"}}' }, want: { labels: { role: 'canary' } } },
  ];
  it.each(parseRows)('parseExistingPodMetadata: $name', ({ annotations, want }) => expect(parseExistingPodMetadata(annotations)).toEqual(want));

  it('switching the RS from canary to stable metadata rewrites the template and the annotation', () => {
    const result = syncReplicaSetEphemeralPodMetadata(
      { annotations: { [KEY]: '{"labels":{"role":"canary"}}', keep: 'me' }, templateMetadata: { labels: { app: 'x', role: 'canary' } } },
      { labels: { role: 'stable' } },
    );
    expect(result).toEqual({
      annotations: { [KEY]: '{"labels":{"role":"stable"}}', keep: 'me' },
      templateMetadata: { labels: { app: 'x', role: 'stable' } },
      modified: true,
    });
  });
});
