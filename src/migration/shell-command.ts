import { stringify } from 'yaml';

/**
 * A small, typed model of the shell lines a runbook prints. Commands are built as argument lists
 * and quoted in one place, so every rendered line is valid POSIX shell and every JSON payload
 * stays valid JSON once the shell has substituted its variables.
 */

/** A piece of a shell word: literal text or a shell variable (`"$NAME"`). */
export type WordPart = string | { readonly shellVar: string };

/** One shell word: plain text, or literal text and variables glued together. */
export type ShellWord = string | readonly WordPart[];

/** A program invocation (`kubectl ...`), optionally fed a here-document or piped into `wc`. */
export interface ProgramCall {
  readonly program: string;
  readonly args: readonly ShellWord[];
  /** Text passed on standard input as a quoted here-document. @default - none */
  readonly stdin?: string;
  /** Pipe the output into `wc -w` (count words, e.g. endpoint addresses). @default false */
  readonly countWords?: boolean;
}

/** A line of the runbook. */
export type RunbookCommand =
  /** Run the program. */
  | { readonly type: 'run'; readonly call: ProgramCall }
  /** `NAME="$(program ...)"`: record an output for later lines. */
  | { readonly type: 'capture'; readonly variable: string; readonly call: ProgramCall }
  /** `test "$(program ...)" OP EXPECTED || { echo "STOP: ..."; false; }`. */
  | {
      readonly type: 'assert';
      readonly call: ProgramCall;
      readonly op: '=' | '-ge' | '-le' | '-z' | '-n';
      /** Right-hand side (absent for `-z` / `-n`). */
      readonly expected?: ShellWord;
      /** Shown when the check fails. */
      readonly message: string;
    }
  /** `test LEFT OP RIGHT || { echo "STOP: ..."; false; }` on recorded values. */
  | {
      readonly type: 'compare';
      readonly left: ShellWord;
      readonly op: '=' | '-ge' | '-le';
      readonly right: ShellWord;
      readonly message: string;
    }
  /** `echo "..."` (may mention recorded variables). */
  | { readonly type: 'echo'; readonly text: ShellWord };

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
  const text = JSON.stringify(value);
  const parts: WordPart[] = [];
  const pattern = /"@@shell-var:([A-Z0-9_]+)@@"/g;
  let last = 0;
  for (const match of text.matchAll(pattern)) {
    if (match.index! > last) parts.push(text.slice(last, match.index));
    parts.push({ shellVar: match[1] });
    last = match.index! + match[0].length;
  }
  if (last < text.length) parts.push(text.slice(last));
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

function renderCall(call: ProgramCall, allowStdin: boolean): string {
  let line = [call.program, ...call.args].map((w, i) => (i === 0 ? quoteLiteral(w as string) : renderWord(w))).join(' ');
  if (call.countWords) line += ' | wc -w';
  if (call.stdin !== undefined) {
    if (!allowStdin) throw new Error(`${call.program}: a here-document cannot be used inside a command substitution`);
    const body = call.stdin.endsWith('\n') ? call.stdin : `${call.stdin}\n`;
    if (body.split('\n').includes(HEREDOC_DELIMITER)) throw new Error(`here-document body contains the delimiter line ${HEREDOC_DELIMITER}`);
    line += ` <<'${HEREDOC_DELIMITER}'\n${body}${HEREDOC_DELIMITER}`;
  }
  return line;
}

function stop(message: string): string {
  return `|| { echo ${quoteLiteral(`STOP: ${message}`)} >&2; false; }`;
}

/** Renders one runbook command as shell text (a here-document spans several lines). */
export function renderCommand(command: RunbookCommand): string {
  switch (command.type) {
    case 'run':
      return renderCall(command.call, true);
    case 'capture':
      return `${command.variable}="$(${renderCall(command.call, false)})"`;
    case 'assert': {
      const sub = `"$(${renderCall(command.call, false)})"`;
      if (command.op === '-z' || command.op === '-n') return `test ${command.op} ${sub} ${stop(command.message)}`;
      return `test ${sub} ${command.op} ${renderWord(command.expected ?? '')} ${stop(command.message)}`;
    }
    case 'compare':
      return `test ${renderWord(command.left)} ${command.op} ${renderWord(command.right)} ${stop(command.message)}`;
    case 'echo':
      return `echo ${renderWord(command.text)}`;
    default:
      return command satisfies never;
  }
}

/** Multi-document YAML for `kubectl apply -f -` (documents separated by `---`). */
export function manifestsYaml(objects: readonly unknown[]): string {
  return objects.map((o) => stringify(o, { lineWidth: 0 })).join('---\n');
}
