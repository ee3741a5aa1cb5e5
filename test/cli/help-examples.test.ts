import { describe, expect, it } from 'vitest';
import { parse } from 'shell-quote';
import { main } from '../../src/cli/main';
import { DocsIo, exampleDist } from '../docs/docs-io';
import { MemoryIo } from '../support/cli';

/**
 * Issue 20 #15: every example under a command's `--help` runs against this repository's files
 * (dist/ as `npm run synth` writes it, rendered afresh) and exits 0. A shell redirection ends the
 * command (`>> "$GITHUB_STEP_SUMMARY"`): what it writes is the command's stdout.
 */
const COMMANDS = ['plan', 'simulate', 'lint', 'convert', 'migrate', 'conformance'];

async function helpOf(command: string): Promise<string> {
  const io = new MemoryIo();
  expect(await main([command, '--help'], io)).toBe(0);
  return io.out;
}

/** The `  cdk8s-canary ...` lines of a help text's Examples section. */
function examplesOf(help: string): string[] {
  const start = help.search(/^Examples\b/m);
  if (start < 0) return [];
  return help
    .slice(start)
    .split('\n')
    .filter((line) => line.startsWith('  cdk8s-canary '))
    .map((line) => line.trim());
}

/** The argv of an example, expanding `dir/*.ext` globs and dropping a trailing redirection. */
function argvOf(example: string, io: DocsIo): string[] {
  const words: string[] = [];
  for (const token of parse(example)) {
    if (typeof token === 'string') words.push(token);
    else if ('op' in token && token.op === 'glob') words.push(...io.expandGlob(token.pattern));
    else if ('op' in token && (token.op === '>>' || token.op === '>')) break;
    else throw new Error(`unsupported shell syntax in "${example}"`);
  }
  expect(words[0]).toBe('cdk8s-canary');
  return words.slice(1);
}

describe('every --help example works on the repository', async () => {
  const dist = exampleDist();
  const examples = (await Promise.all(COMMANDS.map(async (c) => examplesOf(await helpOf(c))))).flat();

  it('plan has examples, the first one plain', () => {
    expect(examples.filter((e) => e.startsWith('cdk8s-canary plan ')).length).toBeGreaterThanOrEqual(3);
    expect(examples[0]).toBe('cdk8s-canary plan dist/my-app.k8s.yaml');
  });

  it.each(examples)('%s', async (example) => {
    const io = new DocsIo(new Map(dist));
    const code = await main(argvOf(example, io), io);
    expect(code, `${example} printed:\n${io.out}${io.err}`).toBe(0);
    expect(io.err).toBe('');
  });

  it('the example the issue found broken: all of dist/ without --rollout names the clash', async () => {
    const io = new DocsIo(new Map(dist));
    const code = await main(argvOf('cdk8s-canary plan dist/*.k8s.yaml', io), io);
    expect(code).toBe(2);
    expect(io.err).toBe('cdk8s-canary: the input holds 3 Rollouts (gated-demo/my-app-rollout, manual-demo/my-app-rollout, my-app-rollout): choose one with NAME or NAMESPACE/NAME\n');
  });
});
