import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Reads one of a provider's fixtures (the providers' documented examples). The fixtures folder sits
 * beside the provider's code in the sources and is copied beside it into dist/ by the asset build,
 * so the same call works from ts-jest and from the installed package.
 */
export function readFixture(providerDir: string, file: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(providerDir, 'fixtures', file), 'utf8')) as Record<string, unknown>;
}
