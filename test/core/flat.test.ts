import { flattenEvent, FLAT_COLUMNS } from '../../core/event/flat';
import { providers } from '../../core/providers';
import { createReceiver } from '../../core/receive';
import { sampleBody } from '../../cli/samples';

async function eventsOf(provider: 'waha' | 'waserver', kind: 'message' | 'message.ack') {
  const body = JSON.stringify(sampleBody(providers[provider], kind));
  return (await createReceiver({ provider }).receive({ method: 'POST', headers: {}, rawBody: body })).events;
}

describe('flattenEvent', () => {
  it('gives every event every column, scalars only', async () => {
    for (const event of [...(await eventsOf('waha', 'message')), ...(await eventsOf('waserver', 'message.ack'))]) {
      const row = flattenEvent(event);
      expect(Object.keys(row)).toEqual([...FLAT_COLUMNS]);
      for (const value of Object.values(row)) expect(['string', 'number', 'boolean']).toContain(typeof value);
    }
  });

  it('spreads a message into its columns', async () => {
    const [event] = await eventsOf('waha', 'message');
    const row = flattenEvent(event);
    expect(row).toMatchObject({
      id: event.id,
      provider: 'waha',
      event: 'message',
      chatId: '6289876543210@c.us',
      chatType: 'direct',
      senderPhone: '6289876543210',
      senderName: 'Budi',
      accountPhone: '6281234567890',
      direction: 'inbound',
      fromMe: false,
      text: 'Halo, apakah stok masih ada?',
      messageType: 'text',
      ackStatus: '',
      groupParticipants: '',
    });
  });

  it("joins an ack's message ids", async () => {
    const [event] = await eventsOf('waserver', 'message.ack');
    expect(flattenEvent(event)).toMatchObject({
      event: 'message.ack',
      ackStatus: event.ack!.status,
      ackMessageIds: event.ack!.messageIds.join(', '),
      text: '',
    });
  });
});
