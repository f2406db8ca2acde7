/**
 * Reply templates over a normalized event: `Hi {{name}}, you said "{{text}}"`. Placeholders are
 * dotted paths into the event (`{{message.chat.id}}`, `{{session}}`) or these shortcuts:
 * `text`, `name` (sender name, else phone, else id), `phone`, `chat`. No logic, no HTML escaping
 * (WhatsApp text is plain text); an unknown path renders as empty text.
 */
import { chatOf, senderOf } from '../event/accessors';
import type { NormalizedEvent } from '../event/schema';

/** No event (a send to a chat set by hand): the shortcuts render empty. */
function shortcuts(event: NormalizedEvent | null): Record<string, unknown> {
  const sender = event && senderOf(event);
  return {
    text: event?.message?.text ?? '',
    name: sender?.name || sender?.phone || sender?.id || '',
    phone: sender?.phone ?? '',
    chat: (event && chatOf(event)?.id) ?? '',
  };
}

function lookup(root: unknown, path: string): unknown {
  let current = root;
  for (const key of path.split('.')) {
    if (current === null || typeof current !== 'object' || !Object.prototype.hasOwnProperty.call(current, key)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

export function renderTemplate(template: string, event: NormalizedEvent | null, extra: Record<string, unknown> = {}): string {
  const short = { ...shortcuts(event), ...extra };
  return template.replace(/\{\{\s*([\w.]+)\s*\}\}/g, (_whole, path: string) => {
    const value = Object.prototype.hasOwnProperty.call(short, path) ? short[path] : (lookup(extra, path) ?? lookup(event, path));
    if (value === undefined || value === null) return '';
    return typeof value === 'object' ? JSON.stringify(value) : String(value);
  });
}
