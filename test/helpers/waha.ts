import { fixtureBytes } from './fixtures';

/** The WAHA text fixture (from 6289876543210@c.us) as message `id` saying `text`: a new message of the same chat. */
export function wahaTextMessage(id: string, text: string): Record<string, any> {
  const body = JSON.parse(fixtureBytes('waha', 'spec-message-text.json').toString('utf8'));
  body.id = `evt_${id}`;
  body.payload.id = `false_6289876543210@c.us_${id}`;
  body.payload.body = text;
  body.payload._data.id.id = id;
  body.payload._data.id._serialized = body.payload.id;
  return body;
}
