/**
 * Wawp's files: its bodies are WAHA's, so the file is at `media.url`; when Wawp keeps media in S3
 * the `media.s3` block names the object (and a URL, when one is given). A URL on Wawp's own API
 * host gets the instance credentials in its query, as Wawp's API takes them; any other host (a
 * presigned storage URL) is fetched as it is, so the token never leaves for a third party.
 */
import { GatewayError } from '../../send/http';
import type { MediaLocator } from '../../media/source';
import { objectAt } from '../../media/source';
import { WAWP_DEFAULT_BASE_URL } from './send';

function originOf(url: string): string | null {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

export const locateMedia: MediaLocator = async ({ event, config }) => {
  const s3 = objectAt(event.raw, 'payload', 'media', 's3');
  const url = event.message?.media?.url ?? (typeof s3?.url === 'string' ? s3.url : null);
  if (!url) {
    const where = s3 ? ` It is in S3 (bucket ${String(s3.Bucket ?? '?')}, key ${String(s3.Key ?? '?')}): fetch it from there.` : '';
    throw new GatewayError('wawp', null, `Wawp sent no media URL for this message, so there is no file to fetch.${where}`);
  }
  const target = new URL(url);
  if (target.origin === originOf(config.baseUrl || WAWP_DEFAULT_BASE_URL) && config.instanceId && config.accessToken) {
    target.searchParams.set('instance_id', config.instanceId);
    target.searchParams.set('access_token', config.accessToken);
  }
  return { kind: 'url', url: target.toString() };
};
