/**
 * PromQL checks for tests, built on the Prometheus project's own Lezer grammar
 * (`@prometheus-io/lezer-promql`, the parser behind the Prometheus UI's editor).
 *
 * The grammar is error-tolerant: a syntax error shows up as an error node in the tree, which
 * `promqlSyntaxErrors` reports with its position. It checks syntax, not types (e.g. it does not
 * know that `rate()` needs a range vector); `vectorSelectors` exposes the selectors so tests can
 * assert the structure that matters.
 */
import { parser } from '@prometheus-io/lezer-promql';

/** Replaces every `{{args.NAME}}` with `values[NAME]` (as the controller does before querying). */
export function resolveArgs(query: string, values: Readonly<Record<string, string>>): string {
  return query.replace(/\{\{\s*args\.([^}\s]+)\s*\}\}/g, (_m, name: string) => {
    const v = values[name];
    if (v === undefined) {
      throw new Error(`no test value for {{args.${name}}}`);
    }
    return v;
  });
}

/** Syntax errors of `query`: one line per error node, with its offset and the text around it. */
export function promqlSyntaxErrors(query: string): string[] {
  const errors: string[] = [];
  parser.parse(query).iterate({
    enter: (node) => {
      if (node.type.isError) {
        const near = query.slice(Math.max(0, node.from - 10), node.to + 10).replace(/\n/g, '⏎');
        errors.push(`syntax error at offset ${node.from} near ${JSON.stringify(near)}`);
      }
    },
  });
  return errors;
}

/** One label matcher of a vector selector. */
export interface LabelMatcher {
  readonly label: string;
  readonly op: string;
  readonly value: string;
}

/** A vector selector: metric name, matchers, and the range when it sits in a matrix selector. */
export interface VectorSelectorInfo {
  readonly metric: string;
  readonly matchers: readonly LabelMatcher[];
  readonly range?: string;
}

/** Every vector selector of `query`, in source order. */
export function vectorSelectors(query: string): VectorSelectorInfo[] {
  const out: VectorSelectorInfo[] = [];
  const text = (from: number, to: number): string => query.slice(from, to);
  parser.parse(query).iterate({
    enter: (node) => {
      if (node.name !== 'VectorSelector') {
        return;
      }
      const sel = node.node;
      const ident = sel.getChild('Identifier');
      const matchers: LabelMatcher[] = [];
      const list = sel.getChild('LabelMatchers');
      for (let m = list?.firstChild ?? null; m !== null; m = m.nextSibling) {
        const label = m.getChild('LabelName');
        const op = m.getChild('MatchOp');
        const value = m.getChild('StringLiteral');
        if (label && op && value) {
          matchers.push({ label: text(label.from, label.to), op: text(op.from, op.to), value: JSON.parse(text(value.from, value.to)) });
        }
      }
      const parent = sel.parent;
      const rangeNode = parent?.name === 'MatrixSelector' ? parent.getChild('DurationExpr') : null;
      out.push({
        metric: ident ? text(ident.from, ident.to) : '',
        matchers,
        range: rangeNode ? text(rangeNode.from, rangeNode.to) : undefined,
      });
    },
  });
  return out;
}

/** Names of the functions called in `query` (e.g. `rate`, `histogram_quantile`), in source order. */
export function functionCalls(query: string): string[] {
  const out: string[] = [];
  parser.parse(query).iterate({
    enter: (node) => {
      if (node.name === 'FunctionIdentifier') {
        out.push(query.slice(node.from, node.to));
      }
    },
  });
  return out;
}
