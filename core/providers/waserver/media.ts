/**
 * wa-server downloads each media message itself and names the file in `media_path`; its API
 * serves it at `GET /media?path={media_path}` (the API key, when set, as `X-API-Key`). No
 * `media_path`: wa-server's own download failed, and there is nothing to fetch.
 */
import { GatewayError } from '../../send/http';
import { endpoint } from '../../send/shared';
import type { MediaLocator } from '../../media/source';

export const locateMedia: MediaLocator = async ({ event, config }) => {
  const path = event.message?.media?.path;
  if (!path) throw new GatewayError('waserver', null, 'wa-server sent no media_path for this message: its own download of the file failed');
  return {
    kind: 'url',
    url: endpoint('waserver', config.baseUrl, `/media?path=${encodeURIComponent(path)}`),
    headers: config.apiKey ? { 'X-API-Key': config.apiKey } : undefined,
  };
};
