import { routeCell, routeText, type RouteSummary } from '../../runtime/route-summary';
import { wrapWords } from './text-table';

/**
 * "Routes:" and one entry per distinct header or mirror route seen (name, matches, destinations,
 * mirror), wrapped at `width`: the detail behind the short ROUTES cells of the plan and simulate tables.
 */
export function routesLines(routes: readonly RouteSummary[], width: number): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const r of routes) {
    if (r.kind === undefined) continue;
    const line = routeText(r, routeCell(r));
    if (seen.has(line)) continue;
    seen.add(line);
    wrapWords(line, width - 4).forEach((part, k) => out.push(`${k === 0 ? '  ' : '    '}${part}`));
  }
  return out.length === 0 ? ['Routes: no header or mirror route was in place.'] : ['Routes:', ...out];
}
