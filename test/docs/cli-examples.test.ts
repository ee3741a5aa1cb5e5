import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main';
import { allBlocks, cliExamples, docFiles, outputMismatch } from './doc-blocks';
import { commandArgv, DocsIo, exampleDist } from './docs-io';
import { readRecordedState, RecordedCluster } from '../support/recorded-cluster';

/**
 * Every CLI example of README.md and docs/*.md runs through the CLI's `main` with the repository's
 * files, and what the page shows under a command is exactly what it prints: a documented example
 * can no longer break, or drift from the real output, unseen. `status` examples read states
 * recorded from the e2e cluster (the marker's `cluster=`), replayed with their clock.
 */
const blocks = allBlocks().filter((b) => b.kind === 'cli');
const dist = exampleDist();

describe.each(docFiles().filter((f) => blocks.some((b) => b.file === f)))('CLI examples of %s', (file) => {
  // One world per page: a later example reads what an earlier one wrote (convert --out, then migrate).
  const io = new DocsIo(new Map(dist));
  const examples = blocks
    .filter((b) => b.file === file)
    .flatMap((b) => cliExamples(b).map((e) => ({ ...e, line: b.line, exit: Number(b.options.exit ?? 0), cluster: b.options.cluster })));

  it.each(examples.map((e) => [`line ${e.line}: ${e.command}`, e] as const))('%s', async (_name, example) => {
    io.out = '';
    io.err = '';
    // `status` examples read a cluster replayed from states recorded on the e2e cluster
    const cluster = example.cluster ? new RecordedCluster(example.cluster.split(',').map(readRecordedState)) : undefined;
    io.kube = cluster?.kube;
    io.clock = cluster?.clock;
    const code = await main(commandArgv(example.command, io), io);
    const printed = io.out + io.err;
    expect(code, `exit code of "${example.command}"; it printed:\n${printed}`).toBe(example.exit);
    if (example.shownOutput.trim() !== '') {
      const mismatch = outputMismatch(example.shownOutput, printed);
      expect(mismatch, `${file}:${example.line} "${example.command}" really prints:\n${printed}`).toBeUndefined();
    }
  });
});

describe('the documented examples are all under test', () => {
  it('there are CLI examples for plan, simulate, lint, migrate and convert in the README', () => {
    const commands = blocks.filter((b) => b.file === 'README.md').flatMap(cliExamples).map((e) => e.command.split(/\s+/)[1]);
    for (const c of ['plan', 'simulate', 'lint', 'migrate', 'convert']) expect(commands).toContain(c);
  });

  it('every code block that runs cdk8s-canary is marked `<!-- test: cli -->`, every TypeScript block `<!-- test: ts -->`', () => {
    const unmarked = allBlocks()
      .filter((b) => b.kind === undefined)
      .filter((b) => /^(ts|typescript)$/.test(b.lang) || /^\s*(\$ )?(npx )?cdk8s-canary /m.test(b.body))
      .map((b) => `${b.file}:${b.line} (${b.lang})`);
    expect(unmarked).toEqual([]);
  });

  it('a marker names a block of the right language', () => {
    const wrong = allBlocks()
      .filter((b) => (b.kind === 'ts' && !/^(ts|typescript)$/.test(b.lang)) || (b.kind === 'cli' && b.lang !== 'console'))
      .map((b) => `${b.file}:${b.line}`);
    expect(wrong).toEqual([]);
  });

  it('the output matcher tells a changed line, a missing line and an extra line apart from an elision', () => {
    expect(outputMismatch('a\nb\nc', 'a\nb\nc\n')).toBeUndefined();
    expect(outputMismatch('a\n...\nc', 'a\nx\ny\nc')).toBeUndefined();
    expect(outputMismatch('a\n...\nc', 'a\nc')).toBeUndefined();
    expect(outputMismatch('a\nb', 'a\nB')).toBeDefined();
    expect(outputMismatch('a\nb', 'a\nb\nc')).toBeDefined();
    expect(outputMismatch('a\n...\nc', 'a\nb')).toBeDefined();
    expect(outputMismatch('a\n...\nb\n...\nd', 'a\nx\nd')).toBeDefined();
  });
});
