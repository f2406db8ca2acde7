/**
 * What a router adds to an event it sends to an output, the same in both engines: `route` (rule
 * numbered from 1, null for "otherwise", and the output's name), and what the rule found: the
 * command, a regex's capture groups, the keyword.
 */
import type { CommandMatch, RouteResult } from './rules';

export interface RouteFields {
  route: { rule: number | null; label: string };
  command?: CommandMatch;
  match?: string[];
  keyword?: string;
}

export function routeFieldsOf(result: RouteResult, output: number, labels: readonly string[], ruleCount: number): RouteFields {
  const match = result.matches.find((m) => m.rule === output);
  const fields: RouteFields = { route: { rule: output < ruleCount ? output + 1 : null, label: labels[output] } };
  if (match?.command) fields.command = { ...match.command, args: [...match.command.args] };
  if (match?.groups) fields.match = match.groups;
  if (match?.keyword !== undefined) fields.keyword = match.keyword;
  return fields;
}
