/** Hand-built normalized events for router tests in both engines. */
import type { NormalizedEvent, NormalizedMessage } from '../../core/event/schema';

export function messageEvent(message: Partial<NormalizedMessage> = {}, top: Partial<NormalizedEvent> = {}): NormalizedEvent {
  return {
    version: 1,
    provider: 'waha',
    event: 'message',
    providerEvent: 'message',
    id: 'waha:default:msg:1',
    session: 'default',
    account: null,
    timestamp: '2026-01-01T00:00:00.000Z',
    message: {
      id: '1',
      type: 'text',
      direction: 'inbound',
      fromMe: false,
      text: 'hello',
      chat: { id: '6281234567890@c.us', type: 'direct', lid: null },
      sender: { id: '6281234567890@c.us', phone: '6281234567890', lid: '42@lid', name: 'Ann' },
      ...message,
    },
    raw: {},
    ...top,
  };
}

export const ackEvent: NormalizedEvent = {
  ...messageEvent(),
  event: 'message.ack',
  message: undefined,
  ack: { messageIds: ['1'], status: 'read', chatId: '120363@g.us', participant: null },
};
