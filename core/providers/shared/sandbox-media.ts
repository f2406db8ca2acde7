/**
 * The files the sandbox gateway serves for download, shared by every provider's sandbox: a file a
 * test put under its key (`SandboxGateway.mediaOf(provider)[key]`), gone (404) when set to null,
 * else bytes made from the key, so that every media message of the fixtures can be downloaded and
 * the same key always gives the same bytes. Each download is recorded (`downloadMedia`, with the
 * bytes' sha256 and size), for tests to compare with what the engine got.
 */
import { createHash } from 'node:crypto';
import type { SandboxAnswer, SandboxContext, SandboxRequest } from '../sandbox';

export interface SandboxFile {
  data: Buffer;
  mimeType: string;
  fileName?: string;
}

const TYPES: Record<string, string> = {
  oga: 'audio/ogg; codecs=opus',
  ogg: 'audio/ogg; codecs=opus',
  mp3: 'audio/mpeg',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  mp4: 'video/mp4',
  pdf: 'application/pdf',
};

/** 1–5 KB of bytes derived from the key. */
export function sandboxMediaBytes(key: string): Buffer {
  const seed = createHash('sha256').update(key).digest();
  const size = 1024 + (seed.readUInt16BE(0) % 4096);
  const blocks: Buffer[] = [];
  for (let i = 0; blocks.length * 32 < size; i++) blocks.push(createHash('sha256').update(seed).update(String(i)).digest());
  return Buffer.concat(blocks).subarray(0, size);
}

/** The file under `key`, or null when a test made it gone. */
export function sandboxFileOf(context: SandboxContext, key: string): SandboxFile | null {
  const files = context.state.media as Record<string, SandboxFile | null> | undefined;
  if (files && Object.prototype.hasOwnProperty.call(files, key)) return files[key];
  const extension = /\.([a-z0-9]+)$/i.exec(key)?.[1]?.toLowerCase() ?? '';
  return { data: sandboxMediaBytes(key), mimeType: TYPES[extension] ?? 'application/octet-stream' };
}

export function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Records that `file` was handed out for `key`. */
export function recordDownload(request: SandboxRequest, context: SandboxContext, key: string, file: SandboxFile): void {
  context.record({
    operation: 'downloadMedia',
    path: request.path,
    chatId: '',
    text: null,
    replyTo: null,
    session: null,
    messageId: key,
    body: { key, sha256: sha256(file.data), size: file.data.length },
  });
}

/** The file's bytes as an HTTP answer, or `gone` when there is none. */
export function serveFile(request: SandboxRequest, context: SandboxContext, key: string, gone: SandboxAnswer): SandboxAnswer {
  const file = sandboxFileOf(context, key);
  if (!file) return gone;
  recordDownload(request, context, key, file);
  const headers: Record<string, string> = { 'content-type': file.mimeType };
  if (file.fileName) headers['content-disposition'] = `attachment; filename="${file.fileName}"`;
  return { status: 200, body: file.data, headers };
}
