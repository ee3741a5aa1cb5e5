import type { Fail } from './fields';
import type { SourcedObject } from './types';

/** What the reader of one Rollout's parts knows: every object of the input, and the Rollout's identity. */
export interface RolloutReadContext {
  /** Every object of the input. */
  readonly all: readonly SourcedObject[];
  /** The Rollout's `metadata.name`. */
  readonly name: string;
  /** The Rollout's `metadata.namespace`. */
  readonly ns: string | undefined;
  /** Reports a problem of the Rollout (`file: Rollout/name: ...`). */
  readonly fail: Fail;
}

/**
 * The object of `kind` named `objName` in namespace `objNs` (default: the Rollout's). An object
 * without metadata.namespace is in whatever namespace it is applied to (kubectl -n, kustomize), so it
 * matches the namespace a reference asks for (`name.namespace` of a VirtualService).
 */
export function findObject(ctx: RolloutReadContext, kind: string, objName: string, objNs: string | undefined): SourcedObject | undefined {
  const wanted = objNs ?? ctx.ns;
  return ctx.all.find(
    (o) => o.object.kind === kind && o.object.metadata?.name === objName && (o.object.metadata?.namespace ?? wanted) === wanted,
  );
}
