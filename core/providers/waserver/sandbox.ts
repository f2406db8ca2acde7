/**
 * wa-server's API as the sandbox plays it: only what is documented, `GET /media?path={media_path}`,
 * with the API key as `X-API-Key` (401 otherwise), 404 for a file it does not have.
 */
import type { SandboxContract } from '../sandbox';
import { serveFile } from '../shared/sandbox-media';

export const sandbox: SandboxContract = {
  credentials: { apiKey: 'sandbox-waserver-key' },
  variants: [
    {
      prefix: 'waserver',
      config: {},
      routes: {
        'GET /media': (request, context) => {
          if (request.headers['x-api-key'] !== context.credentials.apiKey) return { status: 401, body: { error: 'unauthorized' } };
          const path = request.query.get('path');
          if (!path) return { status: 400, body: { error: 'path is required' } };
          return serveFile(request, context, path, { status: 404, body: { error: 'media not found' } });
        },
      },
    },
  ],
};
