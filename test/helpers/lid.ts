/** WAHA's message sample, sent from a LID instead of a phone JID (as WEBJS sends it: no phone next to it). */
import { freshSample } from '../../cli/fresh-sample';
import { sampleBody } from '../../cli/samples';
import { wahaProvider } from '../../core/providers/waha';

/** The LID the sandbox knows (core/providers/waha/sandbox.ts), and the phone behind it. */
export const KNOWN_LID = '123456789012345@lid';
export const KNOWN_PHONE = '6285712345678';

export function wahaMessageFromLid(lid: string, nowMs = Date.now()): Record<string, unknown> {
  const text = JSON.stringify(sampleBody(wahaProvider, 'message')).replaceAll('6289876543210@c.us', lid);
  return freshSample(JSON.parse(text), nowMs);
}
