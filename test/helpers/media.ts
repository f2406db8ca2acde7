/**
 * Media messages for download tests: each provider's fixtures with a file, as the receiver
 * normalizes them. Wawp's fixtures are WAHA's, whose URLs name WAHA's host: a Wawp event gets a URL
 * on the sandbox's Wawp host instead, as Wawp would send.
 */
import type { NormalizedEvent } from '../../core/event/schema';
import { providerOf, type ProviderName } from '../../core/providers';
import type { SandboxGateway } from '../../sandbox/gateway';
import { bodyDigest } from '../../core/http/digest';
import { fixtureBytes, fixtureFiles, RECEIVED_AT_MS } from './fixtures';

/** A voice note and a document per gateway, from its fixtures (Wawp's are WAHA's). */
export const MEDIA_FILES = {
  waha: { voice: 'spec-message-voice.json', document: 'spec-message-document.json' },
  wawp: { voice: 'spec-message-voice.json', document: 'spec-message-document.json' },
  waserver: { voice: 'doc-message-audio-individual-inbound-voice.json', document: 'doc-message-document-individual-inbound-caption.json' },
  evolution: { voice: 'src-2.3.6-messages-upsert-audioMessage-ptt.json', document: 'src-2.3.6-messages-upsert-documentMessage.json' },
  cloudapi: { voice: 'meta-ref-messages-audio-voice.json', document: 'meta-ref-messages-document.json' },
} as const;

/** Some gateways' entries of a table such as MEDIA_FILES. */
export function pick<T extends object, K extends keyof T>(table: T, names: readonly K[]): Pick<T, K> {
  return Object.fromEntries(names.map((name) => [name, table[name]])) as Pick<T, K>;
}

export interface MediaFixture {
  file: string;
  event: NormalizedEvent;
}

/** Every fixture event with a file the gateway's API can give (not one inlined in the webhook). */
export function mediaFixtures(name: ProviderName, sandbox?: SandboxGateway): MediaFixture[] {
  const provider = providerOf(name);
  const folder = provider.samples.folder as ProviderName;
  return fixtureFiles(folder).flatMap((file) =>
    provider
      .normalize(JSON.parse(fixtureBytes(folder, file).toString('utf8')) as Record<string, unknown>, {
        receivedAtMs: RECEIVED_AT_MS,
        bodyDigest: bodyDigest(fixtureBytes(folder, file)),
      })
      .filter((event) => event.message?.media && !event.message.media.url?.startsWith('data:'))
      .filter((event) => name !== 'waserver' || event.message!.media!.path)
      .filter((event) => !['waha', 'wawp'].includes(name) || event.message!.media!.url)
      .map((event) => ({ file, event: name === 'wawp' && sandbox ? onWawpHost(event, sandbox) : event })),
  );
}

/** The one media fixture of `file`. */
export function mediaFixture(name: ProviderName, file: string, sandbox?: SandboxGateway): NormalizedEvent {
  const found = mediaFixtures(name, sandbox).find((fixture) => fixture.file === file);
  if (!found) throw new Error(`${file}: no media message`);
  return structuredClone(found.event);
}

function onWawpHost(event: NormalizedEvent, sandbox: SandboxGateway): NormalizedEvent {
  const copy = structuredClone(event);
  const name = new URL(copy.message!.media!.url!).pathname.split('/').pop();
  copy.message!.media!.url = `${sandbox.baseUrlFor('wawp')}/files/${name}`;
  return copy;
}

/** The key a provider's sandbox files a message's media under. */
export function mediaKeyOf(name: ProviderName, event: NormalizedEvent): string {
  const media = event.message!.media!;
  if (name === 'waha' || name === 'wawp') return new URL(media.url!).pathname.split('/').pop()!;
  if (name === 'waserver' || name === 'cloudapi') return media.path!;
  return event.message!.id;
}
