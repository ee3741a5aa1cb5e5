import type { Command } from 'commander';

/** Registers `cdk8s-canary simulate`. Placeholder until the command lands (owner replaces this file). */
export function registerSimulate(_program: Command, _setExitCode: (code: number) => void): void {}
