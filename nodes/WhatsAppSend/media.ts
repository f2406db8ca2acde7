/**
 * WhatsApp Send's "Download Media": the file of the event in the item, fetched through the
 * gateway's API (core/media/download.ts) and attached as binary data, for flows that decide later
 * which files they want (after the router, an IF on the type…). The item's JSON goes on unchanged.
 */
import { NodeOperationError, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';
import { downloadMedia, PROVIDER_LIST, type ClientConfig, type Provider } from '../../core';
import { eventOf } from '../shared/event';
import { binaryOf, binaryPropertyOf, maxBytesOf, mediaProperties } from '../shared/media';
import { NOT_AN_EVENT } from './send';

/** The gateways that can give a message's file, some of which cannot send (wa-server). */
export const DOWNLOADING = PROVIDER_LIST.filter((provider) => provider.api.anyCapabilities.includes('downloadMedia'));

export const DOWNLOAD_PROPERTIES = mediaProperties({ operation: ['downloadMedia'] });

export async function downloadItem(
  ctx: IExecuteFunctions,
  provider: Provider,
  config: ClientConfig,
  item: INodeExecutionData,
  itemIndex: number,
): Promise<INodeExecutionData> {
  const event = eventOf(item.json);
  if (!event) throw new NodeOperationError(ctx.getNode(), `Item ${itemIndex} ${NOT_AN_EVENT}`, { itemIndex });
  const file = await downloadMedia(provider, config, event, {
    maxBytes: maxBytesOf(ctx.getNodeParameter('maxMediaMb', itemIndex, 16)),
    signal: ctx.getExecutionCancelSignal?.(),
  });
  const property = binaryPropertyOf(ctx.getNodeParameter('binaryProperty', itemIndex, 'data'));
  const binary = await binaryOf(ctx.helpers.prepareBinaryData.bind(ctx.helpers), file, property);
  return { json: item.json, binary: { ...item.binary, ...binary }, pairedItem: { item: itemIndex } };
}
