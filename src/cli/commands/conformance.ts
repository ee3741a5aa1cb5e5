import type { Command } from 'commander';

/** Registers `cdk8s-canary conformance`. Placeholder until the command lands (owner replaces this file). */
export function registerConformance(_program: Command, _setExitCode: (code: number) => void): void {}
