import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../support/paths';

/**
 * The fenced code blocks of README.md and docs/*.md, with the test marker written on the line
 * before each (an HTML comment, invisible on GitHub):
 *
 * - `<!-- test: ts -->` before a ```ts block: the snippet is type-checked against the package's
 *   entry points and run; `<!-- test: ts writes=dist/my-app.k8s.yaml -->` also compares the file
 *   it writes with what `npm run synth` writes there.
 * - `<!-- test: cli -->` before a ```console block: every `$ cdk8s-canary ...` line is run through
 *   the CLI's `main` (exit 0 unless `exit=N`), and the lines under it must be its real output
 *   (a line `...` stands for any number of lines).
 */
export interface DocBlock {
  /** Path relative to the repository, e.g. `docs/cli.md`. */
  readonly file: string;
  /** 1-based line of the opening fence. */
  readonly line: number;
  /** The fence's info string: `ts`, `console`, `yaml`... */
  readonly lang: string;
  /** `ts`, `cli`, or undefined when the block has no marker. */
  readonly kind?: 'ts' | 'cli';
  /** `key=value` options of the marker. */
  readonly options: Readonly<Record<string, string>>;
  readonly body: string;
}

/** Generated reference pages: their code blocks are signatures, not examples. */
const GENERATED = new Set<string>([]);

/** README.md and every docs/*.md but the generated API reference, relative to the repository. */
export function docFiles(): string[] {
  const docs = readdirSync(join(REPO_ROOT, 'docs'))
    .filter((f) => f.endsWith('.md') && !GENERATED.has(f))
    .sort()
    .map((f) => `docs/${f}`);
  return ['README.md', ...docs];
}

const MARKER = /^<!--\s*test:\s*(ts|cli)\b(.*?)-->\s*$/;
const FENCE = /^(```+|~~~+)\s*([\w-]*)/;

/** The fenced blocks of one markdown text. A marker must be the line right before its fence. */
export function parseBlocks(file: string, text: string): DocBlock[] {
  const lines = text.split('\n');
  const blocks: DocBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i]);
    if (!open) continue;
    const close = lines.findIndex((l, j) => j > i && l.trimEnd() === open[1]);
    if (close < 0) throw new Error(`${file}:${i + 1}: code fence never closed`);
    const marker = i > 0 ? MARKER.exec(lines[i - 1].trim()) : null;
    const options = Object.fromEntries(
      (marker?.[2].trim().split(/\s+/).filter(Boolean) ?? []).map((o) => {
        const [key, ...value] = o.split('=');
        return [key, value.join('=')];
      }),
    );
    blocks.push({ file, line: i + 1, lang: open[2], kind: marker?.[1] as DocBlock['kind'], options, body: lines.slice(i + 1, close).join('\n') });
    i = close;
  }
  return blocks;
}

/** Every fenced block of README.md and docs/*.md. */
export function allBlocks(): DocBlock[] {
  return docFiles().flatMap((f) => parseBlocks(f, readFileSync(join(REPO_ROOT, f), 'utf8')));
}

/** One `$ cdk8s-canary ...` command of a cli block and the output shown under it. */
export interface CliExample {
  readonly command: string;
  readonly shownOutput: string;
}

/** The commands of a cli block, each with the lines up to the next `$ ` line. */
export function cliExamples(block: DocBlock): CliExample[] {
  const examples: { command: string; output: string[] }[] = [];
  for (const line of block.body.split('\n')) {
    if (line.startsWith('$ ')) examples.push({ command: line.slice(2).trim(), output: [] });
    else if (examples.length === 0) throw new Error(`${block.file}:${block.line}: a cli block starts with a "$ cdk8s-canary ..." line`);
    else examples[examples.length - 1].output.push(line);
  }
  return examples.map((e) => ({ command: e.command, shownOutput: e.output.join('\n') }));
}

/**
 * Whether `actual` is what `shown` shows: the same lines (trailing spaces and blank lines at the
 * end ignored), where a line `...` stands for any number of lines. Returns the first mismatch, or
 * undefined when it matches.
 */
export function outputMismatch(shown: string, actual: string): string | undefined {
  const norm = (t: string) => t.replace(/\s+$/, '').split('\n').map((l) => l.trimEnd());
  const want = norm(shown);
  const got = norm(actual);
  const segments: string[][] = [[]];
  for (const l of want) {
    if (l.trim() === '...') segments.push([]);
    else segments[segments.length - 1].push(l);
  }
  const at = (start: number, seg: string[]) => seg.every((l, k) => got[start + k] === l);
  if (!at(0, segments[0])) return `the output does not start with:\n${segments[0].join('\n')}`;
  let pos = segments[0].length;
  if (segments.length === 1) return pos === got.length ? undefined : `the output has more lines after:\n${segments[0].join('\n')}`;
  for (const seg of segments.slice(1, -1)) {
    let found = -1;
    for (let k = pos; k + seg.length <= got.length; k++) {
      if (at(k, seg)) {
        found = k;
        break;
      }
    }
    if (found < 0) return `the output does not contain (in order):\n${seg.join('\n')}`;
    pos = found + seg.length;
  }
  const last = segments[segments.length - 1];
  const start = got.length - last.length;
  if (start < pos || !at(start, last)) return `the output does not end with:\n${last.join('\n')}`;
  return undefined;
}
