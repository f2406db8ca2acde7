import type { CanonicalEvent } from '../../event/schema';
import { readFixture } from '../shared/samples';
import type { ProviderAdapter } from '../types';
import { normalizeWaha, wahaEventNameOf } from './normalize';
import { signWaha, verifyWaha } from './verify';
import { PROVIDER_DISPLAY_NAMES } from '../names';

/** One fixture per canonical event WAHA emits (the presence fixture holds an online and a typing entry). */
const SAMPLE_FILES: Partial<Record<CanonicalEvent, string>> = {
  message: 'spec-message-text.json',
  'message.reaction': 'spec-message-reaction.json',
  'message.ack': 'spec-message-ack.json',
  'message.revoked': 'spec-message-revoked.json',
  'message.edited': 'spec-message-edited.json',
  presence: 'spec-presence-update.json',
  'chat.presence': 'spec-presence-update.json',
  'group.participants': 'spec-group-v2-participants.json',
  'group.update': 'spec-group-v2-update.json',
  call: 'spec-call-received.json',
  'poll.vote': 'spec-poll-vote.json',
  'session.status': 'spec-session-status.json',
  unknown: 'spec-engine-event.json',
};

/** Also Wawp's samples: its bodies are copies of WAHA's current envelope. */
export function wahaSampleBody(event: CanonicalEvent): Record<string, unknown> | null {
  const file = SAMPLE_FILES[event];
  return file ? readFixture(__dirname, file) : null;
}

export const wahaAdapter: ProviderAdapter = {
  name: 'waha',
  displayName: PROVIDER_DISPLAY_NAMES.waha,
  defaultPath: 'waha',
  verify: verifyWaha,
  sign: signWaha,
  eventNameOf: wahaEventNameOf,
  normalize: (body, context) => normalizeWaha('waha', body, context),
  sampleBody: wahaSampleBody,
};
