/**
 * wa-server webhook shapes, from its "Webhooks" page. Every delivery is an envelope
 * `{event, device_id, app_id, payload, timestamp (ISO), request_id}`; the payload depends on `event`.
 * Payload schemas require only what identifies the event; every documented field is optional
 * ("network/privacy can omit fields") and unknown keys are kept.
 */
import { z } from 'zod';
import { nonEmptyString, numberish, optBool, optNumber, optString, timeValue } from '../shared/zod';

export const envelopeSchema = z.looseObject({
  event: nonEmptyString,
  device_id: optString,
  app_id: optString,
  timestamp: timeValue,
  request_id: optString,
  // Checked by the event's own schema, so a missing payload is reported against that event.
  payload: z.unknown().optional(),
});

/** The connected account, present on most payloads (`wa_lid` only on device_connected). */
export const accountFieldsSchema = z.looseObject({
  wa_number: optString,
  wa_lid: optString,
});

export const messagePayloadSchema = z.looseObject({
  message_id: nonEmptyString,
  chat: nonEmptyString,
  from: nonEmptyString,
  direction: z.enum(['inbound', 'outbound']),
  chat_lid: optString,
  from_lid: optString,
  /** The account's number, on every payload; its LID comes only on device_connected, if at all. */
  wa_number: optString,
  wa_lid: optString,
  is_group: optBool,
  message_type: optString,
  text: optString,
  caption: optString,
  // Not on the page's examples; taken when present (whatsmeow-based servers know the sender's push name).
  push_name: optString,
  sender_name: optString,
  media_mime_type: optString,
  media_size: optNumber,
  media_filename: optString,
  media_path: optString,
  is_view_once: optBool,
  ptt: optBool,
  latitude: numberish.nullish(),
  longitude: numberish.nullish(),
  location_name: optString,
  location_address: optString,
  contact_name: optString,
  contact_vcard: optString,
  timestamp: timeValue,
});
export type MessagePayload = z.output<typeof messagePayloadSchema>;

/**
 * The receipt words accepted. The page documents server / delivered / read / played; the rest are
 * the other whatsmeow receipt types (`''` is whatsmeow's word for delivered). `inactive`, `peer_msg`
 * and `hist_sync` are not delivery states and fail the schema, so they surface as `unknown`.
 */
export const RECEIPT_WORDS = ['server', 'sender', 'delivered', '', 'read', 'read-self', 'played', 'played-self', 'retry', 'server-error'] as const;
export type ReceiptWord = (typeof RECEIPT_WORDS)[number];

export const receiptPayloadSchema = z.looseObject({
  message_ids: z.array(nonEmptyString).min(1),
  receipt: z.string().trim().toLowerCase().pipe(z.enum(RECEIPT_WORDS)),
  chat: optString,
  chat_lid: optString,
  from: optString,
  message_sender: optString,
  is_group: optBool,
  timestamp: timeValue,
});

export const presencePayloadSchema = z.looseObject({
  from: nonEmptyString,
  unavailable: optBool,
  last_seen: timeValue,
});

export const chatPresencePayloadSchema = z.looseObject({
  chat: nonEmptyString,
  state: z
    .string()
    .trim()
    .toLowerCase()
    .pipe(z.enum(['composing', 'paused'])),
  media: optString,
  from: optString,
  sender: optString,
});

export const revokedPayloadSchema = z.looseObject({
  message_id: nonEmptyString,
  chat: optString,
  from: optString,
  timestamp: timeValue,
});

/** Device lifecycle and session events: nothing identifies them beyond the event name. */
export const statusPayloadSchema = z.looseObject({
  status: optString,
  reason: optString,
});
