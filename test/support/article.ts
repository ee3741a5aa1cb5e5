/**
 * Reads the YAML examples out of the production article (../shared/seed/...ja.txt), the golden
 * case of CanaryApp. The article is prose with YAML blocks; some blocks are diffs (`+`/`-` lines)
 * or elide fields (`...`). `articleBlocks` returns the raw blocks; `applyDiff` keeps the `+` side.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { SHARED_DIR } from './paths';

export const ARTICLE_PATH = join(SHARED_DIR, 'seed', 'argo-rollouts-istio-canary.ja.txt');

export function articleAvailable(): boolean {
  return existsSync(ARTICLE_PATH);
}

const START = /^(apiVersion|kind|providerRBAC):|^\s+steps:/;
const CONTINUE = /^$|^\s+\S|^---$|^[+-]\s|^[A-Za-z][\w-]*:/;

/** The YAML blocks of the article, in order, as text. */
export function articleBlocks(text = readFileSync(ARTICLE_PATH, 'utf8')): string[] {
  const lines = text.split('\n');
  const blocks: string[] = [];
  let current: string[] | undefined;
  for (const line of lines) {
    if (current && CONTINUE.test(line) && !/^\s+•/.test(line)) {
      current.push(line);
      continue;
    }
    if (current) blocks.push(current.join('\n').trimEnd());
    current = START.test(line) ? [line] : undefined;
  }
  if (current) blocks.push(current.join('\n').trimEnd());
  return blocks;
}

/** The new side of a diff block: drops `-` lines and `...` elisions, turns `+` into a space. */
export function applyDiff(block: string): string {
  return block
    .split('\n')
    .filter((l) => !/^-\s/.test(l) && !/^\s*\.\.\.\s*$/.test(l))
    .map((l) => (l.startsWith('+') ? ` ${l.slice(1)}` : l))
    .join('\n');
}

/** Parses a block (possibly several documents). */
export function parseBlock(block: string): any[] {
  return parseAllDocuments(block).map((d) => d.toJS()).filter((d) => d != null);
}

/** The first block whose text matches `pattern`. */
export function blockMatching(blocks: string[], pattern: RegExp): string {
  const found = blocks.find((b) => pattern.test(b));
  if (!found) throw new Error(`no article block matches ${pattern}`);
  return found;
}
