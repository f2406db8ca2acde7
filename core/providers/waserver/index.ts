/** wa-server (App/Device gateway): HMAC-signed webhooks, envelope `{event, device_id, app_id, payload, timestamp, request_id}`. */
import type { CanonicalEvent } from '../../event/schema';
import { readFixture } from '../shared/samples';
import type { ProviderAdapter } from '../types';
import { normalizeWaserver } from './normalize';
import { signWaserver, verifyWaserver } from './verify';
import { PROVIDER_DISPLAY_NAMES } from '../names';

/** The page's own examples, one per canonical event wa-server emits. */
const SAMPLES: Partial<Record<CanonicalEvent, string>> = {
  message: 'doc-message-text-individual-inbound.json',
  'message.ack': 'doc-receipt-read.json',
  'message.revoked': 'doc-message_revoked.json',
  presence: 'doc-presence.json',
  'chat.presence': 'doc-chat_presence-composing.json',
  'session.status': 'doc-device_connected.json',
  unknown: 'spec-unknown-event.json',
};

export const waserverAdapter: ProviderAdapter = {
  name: 'waserver',
  displayName: PROVIDER_DISPLAY_NAMES.waserver,
  defaultPath: 'waserver',
  verify: verifyWaserver,
  sign: signWaserver,
  eventNameOf: (body) => (typeof body.event === 'string' && body.event !== '' ? body.event : null),
  normalize: normalizeWaserver,
  sampleBody: (event) => {
    const file = SAMPLES[event];
    return file ? readFixture(__dirname, file) : null;
  },
};
