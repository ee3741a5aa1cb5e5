import { toYamlDocuments } from '../model/yaml-text';

/**
 * A small, typed model of the shell lines a runbook prints. Commands are built as argument lists
 * and quoted in one place, so every rendered line is valid POSIX shell and every JSON payload
 * stays valid JSON once the shell has substituted its variables.
 */

/** A piece of a shell word: literal text or a shell variable (`"$NAME"`). */
export type WordPart = string | { readonly shellVar: string };

/** One shell word: plain text, or literal text and variables glued together. */
export type ShellWord = string | readonly WordPart[];

/** How a program's output is counted before a numeric comparison. */
export type OutputCount =
  /** `| wc -w`: words (e.g. addresses printed on one line). */
  | 'words'
  /** `| sort -u | wc -l`: distinct lines (e.g. pod names, one a line, possibly repeated). */
  | 'distinct-lines';

/** A program invocation (`kubectl ...`), optionally fed a here-document or piped into a count. */
export interface ProgramCall {
  /**
   * The program, e.g. `kubectl`.
   */
  readonly program: string;
  /**
   * Its arguments, one shell word each.
   */
  readonly args: readonly ShellWord[];
  /**
   * Text passed on standard input as a here-document: quoted (no expansion) when it is plain text,
   * unquoted with every `$`, backquote and backslash escaped when it holds shell variables, so only
   * those variables expand. @default - none
   */
  readonly stdin?: ShellWord;
  /** Pipe the output into a count. @default - the output as is */
  readonly count?: OutputCount;
}

/** The test a check runs on a program's output: `test "$(program ...)" OP EXPECTED`. */
export interface OutputTest {
  /**
   * The program whose output is tested.
   */
  readonly call: ProgramCall;
  /**
   * The `test` operator.
   */
  readonly op: '=' | '-ge' | '-le' | '-z' | '-n';
  /**
   * Right-hand side (absent for `-z` / `-n`).
   * @default - none
   */
  readonly expected?: ShellWord;
}

/** A line of the runbook. */
export type RunbookCommand =
  /** Run the program. */
  | { readonly type: 'run'; readonly call: ProgramCall }
  /** `NAME="$(program ...)"`: record an output for later lines. */
  | { readonly type: 'capture'; readonly variable: string; readonly call: ProgramCall }
  /** `program ... || { echo "STOP: ..."; false; }`: a check that passes when the program succeeds. */
  | { readonly type: 'succeeds'; readonly call: ProgramCall; readonly message: ShellWord }
  /** `test "$(program ...)" OP EXPECTED || { echo "STOP: ..."; false; }`. */
  | (OutputTest & {
      readonly type: 'assert';
      /** Shown when the check fails (variables expand). */
      readonly message: ShellWord;
    })
  /**
   * The same test repeated every `intervalSeconds` until it passes, at most `timeoutSeconds`
   * (for state that settles asynchronously, like endpoints); prints `STOP: ...` when it never does.
   */
  | (OutputTest & {
      readonly type: 'await';
      readonly timeoutSeconds: number;
      readonly intervalSeconds: number;
      readonly message: ShellWord;
    })
  /** `test LEFT OP RIGHT || { echo "STOP: ..."; false; }` on recorded values. */
  | {
      readonly type: 'compare';
      readonly left: ShellWord;
      readonly op: '=' | '-ge' | '-le';
      readonly right: ShellWord;
      readonly message: ShellWord;
    }
  /** `echo "..."` (may mention recorded variables). */
  | { readonly type: 'echo'; readonly text: ShellWord };

/** The commands a check may hold: each one that can fail prints its own `STOP: ...` line. */
export type CheckCommand = Exclude<RunbookCommand, { readonly type: 'run' }>;

const SAFE_WORD = /^[A-Za-z0-9_@%+=:,./-]+$/;
/** Delimiter of the here-documents the runbook prints. */
export const HEREDOC_DELIMITER = 'MANIFEST';

/** A shell variable reference, for use inside `ShellWord`s. */
export function shellVar(name: string): { readonly shellVar: string } {
  if (!/^[A-Z_][A-Z0-9_]*$/.test(name)) throw new Error(`shell variable name ${JSON.stringify(name)} must be UPPER_SNAKE_CASE`);
  return { shellVar: name };
}

const VAR_MARK = '@@shell-var:';

/** A value to embed in `jsonWord` that renders as the bare shell variable (a number in the JSON). */
export function jsonVar(name: string): string {
  shellVar(name);
  return `${VAR_MARK}${name}@@`;
}

/**
 * Serializes `value` as compact JSON for a `-p` payload. Strings made by `jsonVar` become shell
 * variables spliced in unquoted, so `{"minReplicas": jsonVar('REPLICAS')}` renders as
 * `'{"minReplicas":'"$REPLICAS"'}'` and the shell hands kubectl `{"minReplicas":4}`.
 */
export function jsonWord(value: unknown): ShellWord {
  return splitVarMarks(JSON.stringify(value));
}

/** Splits serialized text at the (quoted) `jsonVar` marks it holds, into literal parts and variables. */
function splitVarMarks(text: string): ShellWord {
  const parts: WordPart[] = [];
  const pattern = /(["']?)@@shell-var:([A-Z0-9_]+)@@\1/g;
  let last = 0;
  for (const match of text.matchAll(pattern)) {
    if (match.index! > last) parts.push(text.slice(last, match.index));
    parts.push({ shellVar: match[2] });
    last = match.index! + match[0].length;
  }
  if (last < text.length) parts.push(text.slice(last));
  return parts.length === 1 && typeof parts[0] === 'string' ? parts[0] : parts;
}

/**
 * A shell word from a template literal: interpolated `shellVar(...)`s expand when the shell runs
 * the line, everything else (names, numbers) is literal text.
 * `word\`Rollout ${name} has fewer than ${shellVar('REPLICAS')} pods\``.
 */
export function word(strings: TemplateStringsArray, ...values: readonly (string | number | { readonly shellVar: string })[]): ShellWord {
  return joinWords(
    ...strings.flatMap((text, i): ShellWord[] => {
      if (i >= values.length) return [text];
      const value = values[i];
      return [text, typeof value === 'object' ? [shellVar(value.shellVar)] : String(value)];
    }),
  );
}

/** The words as one word (adjacent literal text merged, so it is quoted once). */
function joinWords(...words: readonly ShellWord[]): ShellWord {
  const parts: WordPart[] = [];
  for (const part of words.flatMap((w) => (typeof w === 'string' ? [w] : w))) {
    if (part === '') continue;
    if (typeof part === 'string' && typeof parts.at(-1) === 'string') parts[parts.length - 1] = `${parts.at(-1) as string}${part}`;
    else parts.push(part);
  }
  if (parts.length === 0) return '';
  return parts.length === 1 && typeof parts[0] === 'string' ? parts[0] : parts;
}

function quoteLiteral(text: string): string {
  if (text.length > 0 && SAFE_WORD.test(text)) return text;
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** Renders one word with POSIX quoting: literals single-quoted when needed, variables as `"$NAME"`. */
export function renderWord(word: ShellWord): string {
  if (typeof word === 'string') return quoteLiteral(word);
  if (word.length === 0) return "''";
  return word.map((part) => (typeof part === 'string' ? quoteLiteral(part) : `"$${part.shellVar}"`)).join('');
}

/** A here-document: quoted when the body is plain text, else unquoted with only its variables left to expand. */
function renderHeredoc(stdin: ShellWord): string {
  const parts = typeof stdin === 'string' ? [stdin] : stdin;
  const plain = parts.every((p) => typeof p === 'string');
  let body = parts.map((p) => (typeof p === 'string' ? (plain ? p : p.replace(/[\\$`]/g, '\\$&')) : `\${${p.shellVar}}`)).join('');
  if (!body.endsWith('\n')) body += '\n';
  if (body.split('\n').includes(HEREDOC_DELIMITER)) throw new Error(`here-document body contains the delimiter line ${HEREDOC_DELIMITER}`);
  return ` <<${plain ? `'${HEREDOC_DELIMITER}'` : HEREDOC_DELIMITER}\n${body}${HEREDOC_DELIMITER}`;
}

const COUNT_PIPE: Record<OutputCount, string> = { words: ' | wc -w', 'distinct-lines': ' | sort -u | wc -l' };

function renderCall(call: ProgramCall, allowStdin: boolean): string {
  let line = [call.program, ...call.args].map((w, i) => (i === 0 ? quoteLiteral(w as string) : renderWord(w))).join(' ');
  if (call.count) line += COUNT_PIPE[call.count];
  if (call.stdin !== undefined) {
    if (!allowStdin) throw new Error(`${call.program}: a here-document cannot be used inside a command substitution`);
    line += renderHeredoc(call.stdin);
  }
  return line;
}

/** `|| { echo 'STOP: ...' >&2; false; }`: the message's variables expand (quoted, so their values are printed as they are). */
function stop(message: ShellWord): string {
  return `|| { echo ${renderWord(joinWords('STOP: ', message))} >&2; false; }`;
}

function renderTest(t: OutputTest): string {
  const sub = `"$(${renderCall(t.call, false)})"`;
  if (t.op === '-z' || t.op === '-n') return `test ${t.op} ${sub}`;
  return `test ${sub} ${t.op} ${renderWord(t.expected ?? '')}`;
}

/**
 * `for _ in $(seq N); do TEST && break; sleep I; false; done || STOP`: the loop's status is 0 when
 * `break` ran (the test passed), else that of the last `false`.
 */
function renderAwait(command: Extract<RunbookCommand, { type: 'await' }>): string {
  const tries = Math.max(1, Math.ceil(command.timeoutSeconds / command.intervalSeconds));
  return `for _ in $(seq ${tries}); do ${renderTest(command)} && break; sleep ${command.intervalSeconds}; false; done ${stop(command.message)}`;
}

/** Renders one runbook command as shell text (a here-document spans several lines). */
export function renderCommand(command: RunbookCommand): string {
  switch (command.type) {
    case 'run':
      return renderCall(command.call, true);
    case 'capture':
      return `${command.variable}="$(${renderCall(command.call, false)})"`;
    case 'succeeds':
      return `${renderCall(command.call, false)} ${stop(command.message)}`;
    case 'assert':
      return `${renderTest(command)} ${stop(command.message)}`;
    case 'await':
      return renderAwait(command);
    case 'compare':
      return `test ${renderWord(command.left)} ${command.op} ${renderWord(command.right)} ${stop(command.message)}`;
    case 'echo':
      return `echo ${renderWord(command.text)}`;
    default:
      return command satisfies never;
  }
}

/**
 * Multi-document YAML for `kubectl apply -f -` (documents separated by `---`); values made by
 * `jsonVar` become shell variables (a number once the here-document is expanded).
 */
export function manifestsYaml(objects: readonly unknown[]): ShellWord {
  return splitVarMarks(toYamlDocuments(objects));
}
