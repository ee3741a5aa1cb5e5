import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/paths';
import { docFiles } from './doc-blocks';

/**
 * Every relative link of README.md and docs/*.md leads somewhere: the file exists and, for a
 * `page.md#anchor` link, the page has that heading (GitHub's anchor rules: lower case, spaces to
 * dashes, punctuation dropped). Moving a section between pages can no longer leave a dead link.
 */

/** The text outside fenced code blocks (links and headings there are examples, not structure). */
function prose(text: string): string {
  return text.replace(/^(```+|~~~+)[^\n]*\n[\s\S]*?^\1\s*$/gm, '');
}

/** GitHub's anchor for a heading text. */
export function anchorOf(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

function anchorsOf(file: string): Set<string> {
  const headings = [...prose(readFileSync(join(REPO_ROOT, file), 'utf8')).matchAll(/^#{1,6}\s+(.+)$/gm)].map((m) => anchorOf(m[1]));
  return new Set(headings);
}

/** `file:text -> target` for every relative link that leads nowhere. */
function deadLinks(file: string): string[] {
  const dead: string[] = [];
  for (const [, text, target] of prose(readFileSync(join(REPO_ROOT, file), 'utf8')).matchAll(/\[([^\]]*)\]\(([^)\s]+)\)/g)) {
    if (/^[a-z]+:/i.test(target)) continue; // https:, mailto:
    const [path, anchor] = target.split('#');
    const linked = path === '' ? file : normalize(join(dirname(file), path));
    if (!existsSync(join(REPO_ROOT, linked))) dead.push(`${file}: [${text}](${target}): no file ${linked}`);
    else if (anchor !== undefined && linked.endsWith('.md') && !anchorsOf(linked).has(anchor)) dead.push(`${file}: [${text}](${target}): no heading #${anchor} in ${linked}`);
  }
  return dead;
}

describe('links of README.md and docs/', () => {
  it('every relative link and anchor exists', () => {
    expect(docFiles().flatMap(deadLinks)).toEqual([]);
  });

  it('anchors follow GitHub: `## plan: what each step will do` is #plan-what-each-step-will-do', () => {
    expect(anchorOf('plan: what each step will do')).toBe('plan-what-each-step-will-do');
    expect(anchorOf('Inside `cdk8s synth`')).toBe('inside-cdk8s-synth');
    expect(anchorOf('Many apps: `CanaryFleet` (one file per app, linear time)')).toBe('many-apps-canaryfleet-one-file-per-app-linear-time');
  });

  it('every page of docs/ is reachable from the README', () => {
    const reached = new Set(['README.md']);
    const queue = ['README.md'];
    while (queue.length > 0) {
      const file = queue.shift()!;
      for (const [, target] of prose(readFileSync(join(REPO_ROOT, file), 'utf8')).matchAll(/\]\(([^)#\s]+\.md)(#[^)]*)?\)/g)) {
        const linked = normalize(join(dirname(file), target));
        if (!/^[a-z]+:/i.test(target) && !reached.has(linked) && existsSync(join(REPO_ROOT, linked))) {
          reached.add(linked);
          queue.push(linked);
        }
      }
    }
    expect(docFiles().filter((f) => !reached.has(f))).toEqual([]);
  });
});
