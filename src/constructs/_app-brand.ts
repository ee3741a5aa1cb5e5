/** How a `CanaryApp` is recognised (`CanaryApp.isCanaryApp`), also across copies of this package. */
import type { Construct } from 'constructs';

const CANARY_APP_SYMBOL = Symbol.for('cdk8s-canary.CanaryApp');

/** What the name clash check reads of another `CanaryApp` (perhaps from another copy of this package). */
export interface CanaryAppLike extends Construct {
  readonly appName: string;
  readonly namespace?: string;
}

/** Marks `app` as a `CanaryApp`, recognised by `isCanaryApp` across copies of this package. */
export function markCanaryApp(app: Construct): void {
  Object.defineProperty(app, CANARY_APP_SYMBOL, { value: true });
}

/** True for any `CanaryApp`, even from another copy of this package. */
export function isCanaryApp(x: unknown): x is CanaryAppLike {
  return typeof x === 'object' && x !== null && CANARY_APP_SYMBOL in x;
}
