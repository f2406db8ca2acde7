/**
 * The name of a router rule's output: its label when the user gave one, else a short reading of
 * the rule (`text contains "price"`, `command /start`).
 *
 * One implementation for three places: the core's router, n8n's `outputs` expression (evaluated in
 * n8n's sandbox, where nothing can be imported) and the Node-RED editor (plain browser script, fed
 * by the generated resources/waflow-editor.js). Both take this function's source, so it must stay
 * self-contained: no imports, no outer variables, no regex literals, no `}}` (which would end an n8n
 * expression). test/core/router-label.test.ts holds it to that.
 */
export function ruleLabel(rule: { kind: string; value: string; label?: string }): string {
  if (rule.label && rule.label.trim() !== '') return rule.label.trim();
  const values = String(rule.value ?? '')
    .split('\n')
    .join(',')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
  const shown = values.length > 3 ? values.slice(0, 3).join(', ') + '…' : values.join(', ');
  const words: Record<string, string> = {
    event: 'event is',
    messageType: 'type is',
    direction: 'direction is',
    chatType: 'chat is',
    textEquals: 'text is',
    textContains: 'text contains',
    textStartsWith: 'text starts with',
    textRegex: 'text matches',
    command: 'command',
    keywords: 'any keyword of',
    sender: 'sender in',
    chat: 'chat in',
    hasMedia: 'has media',
    session: 'session is',
    provider: 'provider is',
    conversationState: 'state is',
  };
  if (rule.kind === 'noConversationState') return 'no conversation state';
  if (rule.kind === 'hasMedia') return values.length > 0 && values[0].toLowerCase() === 'false' ? 'no media' : 'has media';
  if (rule.kind === 'command') {
    return 'command ' + values.map((v) => (v.startsWith('/') || v.startsWith('!') ? v : '/' + v)).join(', ');
  }
  if (rule.kind === 'textEquals' || rule.kind === 'textContains' || rule.kind === 'textStartsWith') {
    return words[rule.kind] + ' "' + rule.value + '"';
  }
  if (rule.kind === 'textRegex') return words[rule.kind] + ' /' + rule.value + '/';
  return (words[rule.kind] ?? rule.kind) + ' ' + shown;
}
