/**
 * The Cloud API's files, in two steps (Meta's Media API): `GET /{media-id}` with the Bearer token
 * answers `{url, mime_type, file_size, …}`; then `GET <url>` with the same Bearer header (a bare
 * GET gets no file). The URL is valid for 5 minutes, so it is fetched at once and never kept. The
 * media id is in `media.path` (normalize.ts).
 */
import { callGateway, GatewayError } from '../../send/http';
import { endpoint, explainedFailure } from '../../send/shared';
import type { MediaLocator } from '../../media/source';
import { GRAPH_API_URL } from './send';

export const locateMedia: MediaLocator = async ({ event, config, http }) => {
  const id = event.message?.media?.path;
  if (!id) throw new GatewayError('cloudapi', null, 'WhatsApp Cloud API: the message names no media id');
  const headers = config.accessToken ? { authorization: `Bearer ${config.accessToken}` } : undefined;
  const url = endpoint('cloudapi', config.baseUrl || GRAPH_API_URL, `/${encodeURIComponent(id)}`);
  const answer = (await callGateway({ provider: 'cloudapi', method: 'GET', url, headers }, http).catch((error: unknown) => {
    throw explainedFailure(error, `looking up media ${id}`);
  })) as { url?: unknown; mime_type?: unknown } | null;
  if (typeof answer?.url !== 'string' || answer.url === '') throw new GatewayError('cloudapi', null, `WhatsApp Cloud API answered no URL for media ${id}`);
  return { kind: 'url', url: answer.url, headers, mimeType: typeof answer.mime_type === 'string' ? answer.mime_type : null };
};
