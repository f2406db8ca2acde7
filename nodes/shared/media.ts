/**
 * "Download Media" in n8n: the settings the trigger and WhatsApp Send share, and the file as n8n
 * binary data. `prepareBinaryData` is n8n's own, so the instance's binary data mode (memory,
 * filesystem, S3) decides where the bytes live; it sets the file name, MIME type and size.
 */
import type { IBinaryData, IBinaryKeyData, INodeProperties } from 'n8n-workflow';
import { DEFAULT_MEDIA_MAX_BYTES, type DownloadedMedia } from '../../core';

export const DEFAULT_BINARY_PROPERTY = 'data';

/** The properties, shown under `show` (e.g. the trigger's `downloadMedia: [true]`). */
export function mediaProperties(show: NonNullable<NonNullable<INodeProperties['displayOptions']>['show']>): INodeProperties[] {
  return [
    // The default is the core's 16 MB, which the rule cannot read.
    // eslint-disable-next-line n8n-nodes-base/node-param-default-missing
    {
      displayName: 'Max Media Size (MB)',
      name: 'maxMediaMb',
      type: 'number',
      typeOptions: { minValue: 0.001 },
      default: DEFAULT_MEDIA_MAX_BYTES / (1024 * 1024),
      description: 'Larger files are not downloaded: the event still comes, with message.media.error saying why',
      displayOptions: { show },
    },
    {
      displayName: 'Put Output File in Field',
      name: 'binaryProperty',
      type: 'string',
      default: DEFAULT_BINARY_PROPERTY,
      description: 'The name of the binary property the file goes into (empty: data)',
      displayOptions: { show },
    },
  ];
}

export function maxBytesOf(megabytes: unknown): number {
  const value = Number(megabytes);
  return Number.isFinite(value) && value > 0 ? Math.round(value * 1024 * 1024) : DEFAULT_MEDIA_MAX_BYTES;
}

/** Where a file goes: the configured binary property, `data` when left empty. */
export function binaryPropertyOf(name: unknown): string {
  return typeof name === 'string' && name.trim() !== '' ? name.trim() : DEFAULT_BINARY_PROPERTY;
}

type PrepareBinaryData = (data: Buffer, filePath?: string, mimeType?: string) => Promise<IBinaryData>;

/** The file as an item's binary data under `property`. */
export async function binaryOf(prepare: PrepareBinaryData, file: DownloadedMedia, property: string): Promise<IBinaryKeyData> {
  const binary = await prepare(file.data, file.fileName, file.mimeType);
  // n8n derives the name from a path; a WhatsApp file name is a name, kept as the gateway gave it.
  binary.fileName = file.fileName;
  binary.mimeType = file.mimeType;
  return { [property]: binary };
}
