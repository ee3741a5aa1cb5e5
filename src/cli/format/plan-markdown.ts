import type { PlanPresentation } from './present-plan';
import { addedLabel, summaryLines } from './plan-table';

/** Escapes the characters that break a GitHub markdown table cell. */
function cell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/`/g, '\\`');
}

/** `plan --format markdown`: a heading, a GitHub table and the summary, for pull-request comments. */
export function formatPlanMarkdown(plan: PlanPresentation): string {
  const out = [
    `### Canary plan: \`${cell(plan.rollout)}\` with ${plan.replicas} replicas`,
    '',
    '| Step | Action | Canary % | Stable % | Canary pods | Stable pods | Total pods | Added | Pause |',
    '| ---: | :--- | ---: | ---: | ---: | ---: | ---: | ---: | :--- |',
  ];
  for (const r of plan.rows) {
    const added = addedLabel(r.podsAdded, false);
    const pause = r.pauseText;
    out.push(
      `| ${r.step} | ${cell(r.label)} | ${r.canaryWeight} | ${r.stableWeight} | ${r.canaryReplicas} | ${r.stableReplicas} | ${r.totalPods} | ${r.surge ? `**${added}** ⚠️ surge` : added} | ${pause ? `⏸ ${cell(pause)}` : ''} |`,
    );
  }
  out.push('', ...summaryLines(plan).map((l) => (l.startsWith('! ') ? `⚠️ ${l.slice(2)}` : l)));
  return out.join('\n') + '\n';
}
