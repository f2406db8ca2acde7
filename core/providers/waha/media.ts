/**
 * WAHA's files: the webhook's `media.url` (or the older `mediaUrl`), served by WAHA under
 * `/api/files/…` with `X-Api-Key`. The URL's host is what WAHA thinks its own address is
 * (`WAHA_BASE_URL`, often `localhost:3000` inside its container), so only its path is kept and
 * fetched through the API URL of the credentials. No URL: WAHA did not download the file.
 */
import { GatewayError } from '../../send/http';
import { endpoint } from '../../send/shared';
import type { MediaLocator } from '../../media/source';
import { objectAt } from '../../media/source';

export const locateMedia: MediaLocator = async ({ event, config }) => {
  const media = event.message?.media;
  if (!media?.url) {
    const why = objectAt(event.raw, 'payload', 'media', 'error');
    const detail = why ? `: ${JSON.stringify(why).slice(0, 200)}` : '';
    throw new GatewayError(
      'waha',
      null,
      `WAHA sent no media URL, so it did not download the file${detail}. Check that the session downloads media (config.noweb/gows store, WHATSAPP_DOWNLOAD_MEDIA) and its size limit.`,
    );
  }
  let path: string;
  try {
    const url = new URL(media.url);
    path = `${url.pathname}${url.search}`;
  } catch {
    path = media.url.startsWith('/') ? media.url : `/${media.url}`;
  }
  return { kind: 'url', url: endpoint('waha', config.baseUrl, path), headers: config.apiKey ? { 'X-Api-Key': config.apiKey } : undefined };
};
