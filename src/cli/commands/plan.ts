import type { Command } from 'commander';

/** Registers `cdk8s-canary plan`. Placeholder until the command lands (owner replaces this file). */
export function registerPlan(_program: Command, _setExitCode: (code: number) => void): void {}
