import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml, parseAllDocuments } from 'yaml';
import { parse as shellParse } from 'shell-quote';
import { type ManifestObject, parseManifestTexts, type SourcedManifest } from '../../src/migration/manifest-object';
import { FIXTURES_DIR } from '../support/paths';

export function fixture(name: string): string {
  return join(FIXTURES_DIR, 'migration', name);
}

export function readFixture(name: string): SourcedManifest[] {
  return parseManifestTexts([{ text: readFileSync(fixture(name), 'utf8'), file: name }]);
}

export function fixtureObjects(name: string): ManifestObject[] {
  return readFixture(name).map((m) => m.object);
}

/** Puts every object in a namespace (test variant of a fixture). */
export function inNamespace<T extends { object: ManifestObject } | ManifestObject>(items: T[], ns: string): T[] {
  return items.map((item) => {
    if ('object' in item && (item as { object: ManifestObject }).object.kind !== undefined) {
      const m = item as { object: ManifestObject };
      return { ...m, object: { ...m.object, metadata: { ...m.object.metadata, namespace: ns } } } as T;
    }
    const o = item as ManifestObject;
    return { ...o, metadata: { ...o.metadata, namespace: ns } } as T;
  });
}

/** A kubectl invocation found in a runbook command, with its here-document (if any). */
export interface KubectlInvocation {
  readonly argv: string[];
  readonly stdin?: string;
  readonly source: string;
}

const ENV = { REPLICAS: '4' };

/** The body of an unquoted here-document as the shell reads it: `\\`, `\$`, `\`` unescaped, `${NAME}` from ENV. */
function expandHeredoc(body: string): string {
  return body.replace(/\\([\\$`])|\$\{([A-Z_][A-Z0-9_]*)\}|[$`]/g, (all, escaped: string | undefined, name: string | undefined) => {
    if (escaped) return escaped;
    if (name && name in ENV) return ENV[name as keyof typeof ENV];
    throw new Error(`unescaped ${all} in an unquoted here-document`);
  });
}

function splitHeredoc(text: string): { line: string; body?: string } {
  const lines = text.split('\n');
  const m = /<<('?)([A-Z]+)\1$/.exec(lines[0]);
  if (!m) {
    if (lines.length > 1) throw new Error(`multi-line command without here-document: ${text}`);
    return { line: lines[0] };
  }
  const end = lines.lastIndexOf(m[2]);
  if (end !== lines.length - 1) throw new Error(`here-document not closed by ${m[2]}: ${text}`);
  const body = lines.slice(1, end).join('\n');
  return { line: lines[0].slice(0, m.index).trimEnd(), body: m[1] ? body : expandHeredoc(body) };
}

/**
 * Tokenizes one rendered runbook command with a real shell-words parser (shell-quote) and returns
 * every kubectl invocation in it, including those inside `$(...)` command substitutions.
 */
export function kubectlInvocations(text: string): KubectlInvocation[] {
  const { line, body } = splitHeredoc(text);
  const out: KubectlInvocation[] = [];
  const visit = (shellText: string, stdin?: string): void => {
    const tokens = shellParse(shellText, ENV);
    let segment: string[] = [];
    const flush = (): void => {
      if (segment.length > 0 && segment[0] === 'kubectl') out.push({ argv: segment.slice(1), stdin, source: shellText });
      segment = [];
    };
    for (const token of tokens) {
      if (typeof token !== 'string') {
        if ('op' in token && token.op === 'glob') segment.push((token as { pattern: string }).pattern);
        else flush();
        continue;
      }
      const sub = /^(?:[A-Z_]+=)?\$\((.*)\)$/s.exec(token);
      if (sub) {
        visit(sub[1]);
        continue;
      }
      segment.push(token);
    }
    flush();
  };
  visit(line, body);
  return out;
}

const DURATION = /^\d+(s|m|h)$/;
const LABEL_SELECTOR = /^!?[a-z0-9A-Z._/-]+(=[a-zA-Z0-9._-]+)?(,!?[a-z0-9A-Z._/-]+(=[a-zA-Z0-9._-]+)?)*$/;
const KINDS = new Set(['deployment', 'service', 'hpa', 'rollout', 'virtualservice', 'endpointslices', 'pod', 'crd', 'apiservice', 'poddisruptionbudget']);

/**
 * Checks one kubectl invocation against the subset of kubectl syntax the runbooks use: known
 * subcommand, known flags with a value where one is required, valid JSON for every `-p`, a YAML
 * Kubernetes object stream for `apply -f -`. Returns the problems (empty = valid).
 */
export function kubectlProblems(inv: KubectlInvocation): string[] {
  const problems: string[] = [];
  const argv = [...inv.argv];
  const sub = argv[0] === 'argo' ? argv.slice(0, 3).join(' ') : argv[0] === 'rollout' ? argv.slice(0, 2).join(' ') : argv[0];
  const positionalCount: Record<string, [number, number]> = {
    get: [1, 3],
    apply: [0, 0],
    patch: [2, 2],
    scale: [1, 1],
    delete: [1, 10],
    wait: [1, 3],
    'rollout status': [1, 1],
    'argo rollouts status': [1, 1],
  };
  if (!(sub in positionalCount)) return [`unknown subcommand "${sub}"`];
  const rest = argv.slice(sub.split(' ').length);
  const flagsWithValue = new Set(['-n', '-o', '-p', '--type', '-f', '-l', '--timeout']);
  const boolFlags = new Set(['--ignore-not-found']);
  const positional: string[] = [];
  const flags = new Map<string, string>();
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    if (a.startsWith('-') && a !== '-') {
      const eq = a.indexOf('=');
      if (eq > 0 && a.startsWith('--')) {
        flags.set(a.slice(0, eq), a.slice(eq + 1));
      } else if (flagsWithValue.has(a)) {
        if (i + 1 >= rest.length) problems.push(`${a} needs a value`);
        flags.set(a, rest[++i]);
      } else if (boolFlags.has(a)) flags.set(a, 'true');
      else problems.push(`unknown flag ${a}`);
    } else positional.push(a);
  }
  const [min, max] = positionalCount[sub];
  if (positional.length < min || positional.length > max) problems.push(`${sub} takes ${min}..${max} arguments, got ${positional.length}: ${positional.join(' ')}`);
  const allowed: Record<string, string[]> = {
    get: ['-n', '-o', '-l'],
    apply: ['-n', '-f'],
    patch: ['-n', '--type', '-p'],
    scale: ['-n', '--replicas'],
    delete: ['-n', '--ignore-not-found'],
    wait: ['-n', '--for', '-l', '--timeout'],
    'rollout status': ['-n', '--timeout'],
    'argo rollouts status': ['-n', '--timeout'],
  };
  for (const f of flags.keys()) if (!allowed[sub].includes(f)) problems.push(`flag ${f} is not valid for ${sub}`);
  if (flags.has('-o') && !/^jsonpath=\{.+\}$/.test(flags.get('-o')!)) problems.push(`-o ${flags.get('-o')} is not a jsonpath template`);
  if (flags.has('--timeout') && !DURATION.test(flags.get('--timeout')!)) problems.push(`--timeout ${flags.get('--timeout')} is not a duration`);
  if (flags.has('-l') && !LABEL_SELECTOR.test(flags.get('-l')!)) problems.push(`-l ${flags.get('-l')} is not a label selector`);
  if (flags.has('--replicas') && !/^\d+$/.test(flags.get('--replicas')!)) problems.push(`--replicas ${flags.get('--replicas')} is not a count`);
  if (sub === 'get' && !KINDS.has(positional[0])) problems.push(`get: unknown kind ${positional[0]}`);
  if (sub === 'patch') {
    if (!KINDS.has(positional[0])) problems.push(`patch: unknown kind ${positional[0]}`);
    const type = flags.get('--type');
    if (type !== 'merge' && type !== 'json') problems.push(`patch --type ${type} must be merge or json`);
    let payload: unknown;
    try {
      payload = JSON.parse(flags.get('-p') ?? '');
    } catch (e) {
      problems.push(`patch -p is not valid JSON: ${flags.get('-p')} (${(e as Error).message})`);
    }
    if (type === 'json' && payload !== undefined) {
      if (!Array.isArray(payload) || payload.length === 0) problems.push('json patch must be a non-empty array');
      else for (const op of payload) if (!['add', 'remove', 'replace', 'test'].includes(op.op) || !String(op.path).startsWith('/')) problems.push(`bad json patch op ${JSON.stringify(op)}`);
    }
    if (type === 'merge' && (payload === null || typeof payload !== 'object' || Array.isArray(payload))) problems.push('merge patch must be an object');
  }
  if (sub === 'apply') {
    if (flags.get('-f') !== '-' || inv.stdin === undefined) problems.push('apply must read the manifests from the here-document (-f -)');
    else {
      const docs = parseAllDocuments(inv.stdin).map((d) => d.toJS());
      if (docs.length === 0) problems.push('apply: empty here-document');
      for (const d of docs) if (!d?.apiVersion || !d?.kind || !d?.metadata?.name) problems.push(`apply: not a Kubernetes object: ${JSON.stringify(d).slice(0, 60)}`);
    }
  } else if (inv.stdin !== undefined) problems.push(`${sub} does not read a here-document`);
  if (sub === 'wait') {
    const f = flags.get('--for');
    if (!(f === 'delete' || /^condition=[A-Za-z]+$/.test(f ?? ''))) problems.push(`wait --for=${f} must be delete or condition=X`);
  }
  if (sub === 'scale' && !/^(deployment|rollout)\/[a-z0-9-]+$/.test(positional[0])) problems.push(`scale target ${positional[0]} must be kind/name`);
  if (sub === 'delete') for (const p of positional) if (!/^[a-z]+\/[a-z0-9-]+$/.test(p) && !(positional.length === 2 && KINDS.has(positional[0]))) problems.push(`delete: ${p} is not kind/name`);
  return problems;
}

/** Parses the YAML of a stage folder or snippet (helper for assertions). */
export function yamlOf(text: string): unknown {
  return parseYaml(text);
}
