import type { CanonicalEvent } from '../../event/schema';
import { readFixture } from '../shared/samples';
import type { ProviderAdapter } from '../types';
import { eventNameOf, normalize } from './normalize';
import { sign, verify } from './verify';
import { PROVIDER_DISPLAY_NAMES } from '../names';

/** `waflow send --event KIND` bodies: the documented example where there is one. */
const SAMPLES: Partial<Record<CanonicalEvent, string>> = {
  message: 'doc-message.json',
  'message.ack': 'spec-v5-ack-changed.json',
  'message.revoked': 'spec-v5-message-deleted.json',
  'message.reaction': 'spec-v5-reaction-added.json',
  'chat.presence': 'spec-v5-chat-state.json',
  'group.participants': 'doc-group-participants.json',
  'group.update': 'spec-v5-group-changed.json',
  call: 'spec-v5-call-incoming.json',
  'poll.vote': 'spec-v5-poll-vote.json',
  'session.status': 'doc-session-state.json',
  unknown: 'spec-v5-label-changed.json',
};

export const openwaAdapter: ProviderAdapter = {
  name: 'openwa',
  displayName: PROVIDER_DISPLAY_NAMES.openwa,
  defaultPath: 'openwa',
  verify,
  sign,
  eventNameOf,
  normalize,
  sampleBody(event) {
    const file = SAMPLES[event];
    return file ? readFixture(__dirname, file) : null;
  },
};
