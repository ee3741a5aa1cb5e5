import type { Command } from 'commander';

/** Registers `cdk8s-canary lint`. Placeholder until the command lands (owner replaces this file). */
export function registerLint(_program: Command, _setExitCode: (code: number) => void): void {}
