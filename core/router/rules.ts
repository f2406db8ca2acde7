/**
 * Routing rules over normalized events: the logic behind the Node-RED router and the n8n WhatsApp
 * Router, so both engines route the same event to the same output.
 *
 * A rule is plain data (what a node stores in its settings): a kind and a value. Rules are compiled
 * once, when the node starts, so a bad regex is reported at deploy time with the rule's number, not
 * on the first message.
 */
import { chatOf, chatTypeOf, senderOf } from '../event/accessors';
import type { NormalizedEvent } from '../event/schema';
import { ruleLabel } from './label';
import { foldText, keywordMatcher, listOf, normalizeId } from './text';

export const RULE_KINDS = [
  'event',
  'messageType',
  'direction',
  'chatType',
  'textEquals',
  'textContains',
  'textStartsWith',
  'textRegex',
  'command',
  'keywords',
  'sender',
  'chat',
  'hasMedia',
  'session',
  'provider',
  'conversationState',
  'noConversationState',
] as const;
export type RuleKind = (typeof RULE_KINDS)[number];

export interface RouterRule {
  kind: RuleKind;
  /**
   * event / messageType / direction / chatType / session / provider: one value or a comma-separated list;
   * text rules: the text or regex; command: command names, comma-separated (`start, help`);
   * keywords: a comma- or newline-separated list; sender / chat: ids or phone numbers, comma- or newline-separated;
   * hasMedia: `true` or `false`; conversationState: state names, comma-separated; noConversationState: ignored.
   */
  value: string;
  /** Text rules and regex: compare case-sensitively (default: no). */
  caseSensitive?: boolean;
  /** The output's name; derived from the rule when empty. */
  label?: string;
}

export interface CommandMatch {
  /** The command without its prefix, lower-cased: `start`. */
  name: string;
  /** The prefix used: `/` or `!`. */
  prefix: string;
  /** The text after the command, trimmed. */
  argsText: string;
  /** The arguments split on white space. */
  args: string[];
}

export interface RuleMatch {
  /** Index of the rule (and of its output). */
  rule: number;
  command?: CommandMatch;
  /** Capture groups of a regex rule. */
  groups?: string[];
  /** The keyword that matched, as the user wrote it. */
  keyword?: string;
}

export interface RouteResult {
  /** The outputs to send the event to, in order; the fallback output is `rules.length`. */
  outputs: number[];
  matches: RuleMatch[];
}

export interface RouterOptions {
  /** `first`: the first matching rule only (default). `all`: every matching rule. */
  mode?: 'first' | 'all';
  /** Add an "otherwise" output after the rules for events no rule matched. */
  fallback?: boolean;
}

export class RuleError extends Error {
  constructor(
    readonly ruleIndex: number,
    message: string,
  ) {
    super(`Rule ${ruleIndex + 1}: ${message}`);
  }
}

type Test = (event: NormalizedEvent) => Omit<RuleMatch, 'rule'> | null;

const COMMAND_PREFIXES = ['/', '!'];
const CHOICES: Partial<Record<RuleKind, readonly string[]>> = {
  direction: ['inbound', 'outbound'],
  chatType: ['direct', 'group', 'channel', 'broadcast', 'status'],
  hasMedia: ['true', 'false'],
};

function messageTextOf(event: NormalizedEvent): string {
  return event.message?.text ?? '';
}

/** Every way the sender may be written in a rule: its id, phone number or LID. */
function senderIdsOf(event: NormalizedEvent): string[] {
  const sender = senderOf(event);
  const ids = [sender?.id, sender?.phone, sender?.lid];
  return ids.filter((id): id is string => !!id).map(normalizeId);
}

function chatIdsOf(event: NormalizedEvent): string[] {
  const chat = chatOf(event);
  const ids = [chat?.id, chat?.lid, chat?.phone];
  return ids.filter((id): id is string => !!id).map(normalizeId);
}

/** A rule that compares one field of the event with a list of accepted values. */
function oneOf(values: string[], field: (event: NormalizedEvent) => string | null | undefined): Test {
  const wanted = new Set(values.map((v) => v.toLowerCase()));
  return (event) => {
    const actual = field(event);
    return actual !== null && actual !== undefined && wanted.has(actual.toLowerCase()) ? {} : null;
  };
}

function anyIdIn(values: string[], ids: (event: NormalizedEvent) => string[]): Test {
  const wanted = new Set(values.map(normalizeId));
  return (event) => (ids(event).some((id) => wanted.has(id)) ? {} : null);
}

function compileCommand(value: string, index: number): Test {
  const names = listOf(value).map((name) => name.replace(/^[/!]/, '').toLowerCase());
  if (names.length === 0) throw new RuleError(index, 'name at least one command, e.g. start, help');
  const wanted = new Set(names);
  return (event) => {
    const command = parseCommand(messageTextOf(event));
    return command && wanted.has(command.name) ? { command } : null;
  };
}

/** `/start foo bar` or `!help` → the command; anything else → null. */
export function parseCommand(text: string): CommandMatch | null {
  const trimmed = text.trim();
  const prefix = COMMAND_PREFIXES.find((p) => trimmed.startsWith(p));
  if (!prefix) return null;
  const match = /^(\S+)(?:\s+([\s\S]*))?$/.exec(trimmed.slice(prefix.length));
  if (!match) return null;
  const argsText = (match[2] ?? '').trim();
  return { name: match[1].toLowerCase(), prefix, argsText, args: argsText ? argsText.split(/\s+/) : [] };
}

function compileText(rule: RouterRule, index: number): Test {
  const caseSensitive = rule.caseSensitive === true;
  const fold = (text: string) => (caseSensitive ? text : foldText(text));
  const wanted = fold(rule.value);
  switch (rule.kind) {
    case 'textEquals':
      return (event) => (fold(messageTextOf(event).trim()) === wanted.trim() ? {} : null);
    case 'textContains':
      if (wanted === '') throw new RuleError(index, 'text to look for is empty');
      return (event) => (fold(messageTextOf(event)).includes(wanted) ? {} : null);
    case 'textStartsWith':
      if (wanted === '') throw new RuleError(index, 'text to look for is empty');
      return (event) => (fold(messageTextOf(event).trimStart()).startsWith(wanted) ? {} : null);
    default: {
      let regex: RegExp;
      try {
        regex = new RegExp(rule.value, caseSensitive ? 'u' : 'iu');
      } catch (error) {
        throw new RuleError(index, `invalid regular expression: ${(error as Error).message}`);
      }
      return (event) => {
        const match = regex.exec(messageTextOf(event));
        return match ? { groups: match.slice(1).map((group) => group ?? '') } : null;
      };
    }
  }
}

function compileRule(rule: RouterRule, index: number): Test {
  const values = listOf(rule.value);
  const choices = CHOICES[rule.kind];
  if (choices) {
    const bad = values.find((value) => !choices.includes(value.toLowerCase()));
    if (values.length === 0 || bad !== undefined) {
      throw new RuleError(index, `${rule.kind} must be one of ${choices.join(', ')}${bad ? `, got "${bad}"` : ''}`);
    }
  }
  switch (rule.kind) {
    case 'event':
      return oneOf(values, (event) => event.event);
    case 'messageType':
      return oneOf(values, (event) => event.message?.type);
    case 'direction':
      return oneOf(values, (event) => event.message?.direction);
    case 'chatType':
      return oneOf(values, chatTypeOf);
    case 'session':
      return oneOf(values, (event) => event.session);
    case 'provider':
      return oneOf(values, (event) => event.provider);
    case 'hasMedia': {
      const wanted = values[0].toLowerCase() === 'true';
      return (event) => (event.message && !!event.message.media === wanted ? {} : null);
    }
    case 'conversationState': {
      // Case-sensitive: a state is a name the flow itself set, not text a person typed.
      if (values.length === 0) throw new RuleError(index, 'name at least one conversation state, e.g. ask-email');
      const wanted = new Set(values);
      return (event) => (typeof event.conversation?.state === 'string' && wanted.has(event.conversation.state) ? {} : null);
    }
    case 'noConversationState':
      // A conversation holding only data has no state either: its step is not set.
      return (event) => (event.conversation?.state ? null : {});
    case 'sender':
      return anyIdIn(values, senderIdsOf);
    case 'chat':
      return anyIdIn(values, chatIdsOf);
    case 'command':
      return compileCommand(rule.value, index);
    case 'keywords': {
      if (values.length === 0) throw new RuleError(index, 'the keyword list is empty');
      const find = keywordMatcher(values);
      return (event) => {
        const keyword = find(messageTextOf(event));
        return keyword === null ? null : { keyword };
      };
    }
    case 'textEquals':
    case 'textContains':
    case 'textStartsWith':
    case 'textRegex':
      return compileText(rule, index);
    default:
      throw new RuleError(index, `unknown rule kind "${(rule as { kind: string }).kind}"`);
  }
}

export interface CompiledRouter {
  /** How many outputs the node has: one per rule, plus the fallback. */
  outputCount: number;
  labels: string[];
  route(event: NormalizedEvent): RouteResult;
}

export function compileRouter(rules: RouterRule[], options: RouterOptions = {}): CompiledRouter {
  const tests = rules.map(compileRule);
  const all = options.mode === 'all';
  const labels = rules.map(ruleLabel);
  if (options.fallback) labels.push('otherwise');
  return {
    outputCount: labels.length,
    labels,
    route(event) {
      const matches: RuleMatch[] = [];
      for (let i = 0; i < tests.length; i++) {
        const match = tests[i](event);
        if (match) {
          matches.push({ rule: i, ...match });
          if (!all) break;
        }
      }
      const outputs = matches.map((match) => match.rule);
      if (outputs.length === 0 && options.fallback) outputs.push(rules.length);
      return { outputs, matches };
    },
  };
}
