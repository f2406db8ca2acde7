/**
 * WhatsApp Cloud API webhook bodies (Meta's "Webhooks reference" pages under
 * developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/):
 * `{object: "whatsapp_business_account", entry: [{id, changes: [{field, value}]}]}`. Every array
 * may hold several items, each its own event. Schemas require only what identifies an item and keep
 * every other key: Meta adds fields across API versions.
 */
import { z } from 'zod';
import { nonEmptyString, optString, timeValue } from '../shared/zod';

export const cloudEnvelopeSchema = z.looseObject({
  object: nonEmptyString,
  entry: z.array(
    z.looseObject({
      id: optString,
      changes: z.array(z.looseObject({ field: nonEmptyString, value: z.unknown() })),
    }),
  ),
});

/** The business number the change is about: `phone_number_id` is the session, the display number the account. */
export const cloudMetadataSchema = z.looseObject({ display_phone_number: optString, phone_number_id: nonEmptyString });

/** `value.contacts[]`: the senders, paired with messages by `wa_id` (or `user_id` for a username without a phone). */
export const cloudSenderSchema = z.looseObject({
  profile: z.looseObject({ name: optString, username: optString }).nullish(),
  wa_id: optString,
  user_id: optString,
});
export type CloudSender = z.infer<typeof cloudSenderSchema>;

export const cloudMessagesValueSchema = z.looseObject({
  metadata: cloudMetadataSchema,
  contacts: z.array(z.unknown()).nullish(),
  messages: z.array(z.unknown()).nullish(),
  statuses: z.array(z.unknown()).nullish(),
  message_echoes: z.array(z.unknown()).nullish(),
});

const media = z.looseObject({
  id: optString,
  mime_type: optString,
  caption: optString,
  filename: optString,
  voice: z.boolean().nullish(),
  url: optString,
});

/** `messages[]` (and `message_echoes[]`, which add `to`): `from` may be missing for a user known only by username. */
export const cloudMessageSchema = z.looseObject({
  id: nonEmptyString,
  type: nonEmptyString,
  from: optString,
  from_user_id: optString,
  to: optString,
  timestamp: timeValue,
  group_id: optString,
  context: z.looseObject({ id: optString, from: optString, forwarded: z.boolean().nullish() }).nullish(),
  text: z.looseObject({ body: z.string() }).nullish(),
  image: media.nullish(),
  audio: media.nullish(),
  video: media.nullish(),
  document: media.nullish(),
  sticker: media.nullish(),
  location: z.looseObject({ latitude: z.number(), longitude: z.number(), name: optString, address: optString }).nullish(),
  contacts: z
    .array(
      z.looseObject({
        name: z.looseObject({ formatted_name: optString, first_name: optString, last_name: optString }).nullish(),
        phones: z.array(z.looseObject({ phone: optString, wa_id: optString, type: optString })).nullish(),
      }),
    )
    .nullish(),
  interactive: z
    .looseObject({
      type: optString,
      button_reply: z.looseObject({ id: optString, title: optString }).nullish(),
      list_reply: z.looseObject({ id: optString, title: optString }).nullish(),
    })
    .nullish(),
  button: z.looseObject({ payload: optString, text: optString }).nullish(),
  reaction: z.looseObject({ message_id: nonEmptyString, emoji: optString }).nullish(),
});
export type CloudMessage = z.infer<typeof cloudMessageSchema>;

export const CLOUD_STATUSES = ['sent', 'delivered', 'read', 'failed'] as const;

/** `statuses[]`: about a message *we* sent; `errors` only on `failed`. */
export const cloudStatusSchema = z.looseObject({
  id: nonEmptyString,
  status: z.enum(CLOUD_STATUSES),
  timestamp: timeValue,
  recipient_id: optString,
  recipient_user_id: optString,
  recipient_participant_id: optString,
  errors: z.array(z.looseObject({ code: z.union([z.number(), z.string()]).nullish(), title: optString, message: optString })).nullish(),
});
export type CloudStatus = z.infer<typeof cloudStatusSchema>;
