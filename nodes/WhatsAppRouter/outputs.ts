/**
 * From the router's parameters to the core's rules, and to the names of its outputs.
 *
 * n8n computes a node's outputs from an expression over its parameters (as the Switch node does),
 * in its expression sandbox, where nothing can be imported: so these functions are self-contained
 * (no imports, no outer variables, no regex literals, no `}}` that would end the expression) and
 * are pasted into the `outputs` expression as source, with the core's own `ruleLabel`, written to
 * the same rules.
 */
import type { RouterRule } from '../../core';
import { ruleLabel } from '../../core/router/label';

/** One entry of the `rules.rule` fixedCollection, as n8n stores it (defaults may be absent). */
export type RuleParameters = Record<string, unknown>;

/** `fields` tells which parameter holds each kind's value, and its default when n8n left it out. */
export const routerRulesOf = (parameters: Record<string, unknown>): RouterRule[] => {
  const entries = ((parameters.rules as Record<string, unknown> | undefined)?.rule ?? []) as RuleParameters[];
  const fields: Record<string, [string, unknown]> = {
    event: ['events', ['message']],
    messageType: ['messageTypes', ['text']],
    direction: ['direction', 'inbound'],
    chatType: ['chatTypes', ['direct']],
    hasMedia: ['hasMedia', true],
    provider: ['providers', []],
    session: ['sessions', ''],
    textEquals: ['text', ''],
    textContains: ['text', ''],
    textStartsWith: ['text', ''],
    textRegex: ['regex', ''],
    command: ['commands', ''],
    keywords: ['keywords', ''],
    sender: ['ids', ''],
    chat: ['ids', ''],
    conversationState: ['states', ''],
    noConversationState: ['value', ''],
  };
  return entries.map((entry) => {
    const kind = String(entry.kind ?? 'event');
    const [field, fallback] = fields[kind] ?? ['value', ''];
    const raw = entry[field] ?? fallback;
    const value = Array.isArray(raw) ? raw.join(', ') : String(raw);
    return { kind: kind as RouterRule['kind'], value, caseSensitive: entry.caseSensitive === true, label: String(entry.label ?? '') };
  });
};

export const outputsOf = (
  parameters: Record<string, unknown>,
  rulesOf: typeof routerRulesOf,
  nameOf: typeof ruleLabel,
): Array<{ type: 'main'; displayName: string }> => {
  const names = rulesOf(parameters).map((rule) => nameOf(rule));
  if (parameters.fallbackOutput !== false) names.push('otherwise');
  return names.map((name) => ({ type: 'main', displayName: name }));
};

/** The `outputs` of the node description: evaluated by n8n in the editor and at run time. */
export const OUTPUTS_EXPRESSION = `={{(${outputsOf})($parameter, ${routerRulesOf}, ${ruleLabel})}}` as `={{${string}}}`;
