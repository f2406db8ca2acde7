import { z } from 'zod';
import { normalizedEventSchema } from './schema';

/** The normalized event v1 as JSON Schema (draft 2020-12), for users validating items outside JavaScript. */
export function normalizedEventJsonSchema(): Record<string, unknown> {
  return {
    $id: 'https://github.com/waflow/n8n-nodes-whatsapp-gateways/schema/normalized-event.v1.json',
    title: 'WhatsApp gateway normalized event, version 1',
    ...z.toJSONSchema(normalizedEventSchema, { target: 'draft-2020-12', unrepresentable: 'any' }),
  };
}
