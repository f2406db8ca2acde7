/**
 * Conversation state over the memory store: TTL expiry, merge, replace and clear; the change a
 * node's settings ask for; attaching the state to message events; the per-namespace registry.
 */
import { attachConversations, changeConversation, conversationChangeOf, conversationKey, conversationRefOf } from '../../core/conversation';
import { clearMemoryStores, MemoryConversationStore, memoryStores } from '../../core/store/memory';
import type { ConversationStore } from '../../core/store/types';
import { ackEvent, messageEvent } from '../helpers/events';

const T0 = Date.parse('2026-03-01T10:00:00Z');
const ref = { provider: 'waha', session: 'default', chatId: '6281234567890@c.us' };

function storeAt(start = T0) {
  let now = start;
  const store = new MemoryConversationStore(() => now);
  return { store, advance: (ms: number) => (now += ms), date: () => new Date(now) };
}

describe('memory conversation store', () => {
  it('sets a state, merges data shallowly and stamps the time', async () => {
    const { store, advance, date } = storeAt();
    await changeConversation(store, ref, { state: 'ask-email', merge: { name: 'Ann', tags: ['a'] } }, 60, date());
    advance(1_000);
    const after = await changeConversation(store, ref, { merge: { email: 'ann@example.com', tags: ['b'] } }, 60, date());
    expect(after).toEqual({
      state: 'ask-email',
      data: { name: 'Ann', email: 'ann@example.com', tags: ['b'] },
      updatedAt: '2026-03-01T10:00:01.000Z',
    });
    await expect(store.get(conversationKey(ref))).resolves.toEqual(after);
  });

  it('replace swaps the data; state null keeps only data', async () => {
    const { store, date } = storeAt();
    await changeConversation(store, ref, { state: 'x', merge: { a: 1 } }, 60, date());
    const after = await changeConversation(store, ref, { state: null, replace: { b: 2 } }, 60, date());
    expect(after).toMatchObject({ state: null, data: { b: 2 } });
  });

  it('expires after its TTL, and each change restarts it', async () => {
    const { store, advance, date } = storeAt();
    const key = conversationKey(ref);
    await changeConversation(store, ref, { state: 'ask-name' }, 10, date());
    advance(9_000);
    await changeConversation(store, ref, { merge: { n: 1 } }, 10, date());
    advance(9_000);
    await expect(store.get(key)).resolves.toMatchObject({ state: 'ask-name' });
    advance(1_000);
    await expect(store.get(key)).resolves.toBeUndefined();
    // expired: a merge starts from nothing
    await expect(changeConversation(store, ref, { merge: { m: 2 } }, 10, date())).resolves.toMatchObject({ state: null, data: { m: 2 } });
  });

  it('clear forgets the conversation, whatever else the change says', async () => {
    const { store, date } = storeAt();
    await changeConversation(store, ref, { state: 'confirm' }, 60, date());
    await expect(changeConversation(store, ref, { clear: true, state: 'x' }, 60, date())).resolves.toBeUndefined();
    await expect(store.get(conversationKey(ref))).resolves.toBeUndefined();
  });

  it('hands out copies: changing a returned state does not change the store', async () => {
    const { store, date } = storeAt();
    const state = await changeConversation(store, ref, { merge: { list: [1] } }, 60, date());
    (state!.data.list as number[]).push(2);
    await expect(store.get(conversationKey(ref))).resolves.toMatchObject({ data: { list: [1] } });
  });

  it('refuses a data object past the size limit, keeping the state before it', async () => {
    const { store, date } = storeAt();
    await changeConversation(store, ref, { state: 'a' }, 60, date());
    await expect(changeConversation(store, ref, { merge: { big: 'x'.repeat(20_000) } }, 60, date())).rejects.toThrow(/bytes; the limit is 16384/);
    await expect(store.get(conversationKey(ref))).resolves.toMatchObject({ state: 'a', data: {} });
  });

  it('refuses a TTL that is not positive', async () => {
    const { store, date } = storeAt();
    await expect(changeConversation(store, ref, { state: 'a' }, 0, date())).rejects.toThrow('Conversation TTL must be a positive number of seconds, got 0');
  });
});

describe('conversation changes from node settings', () => {
  it('set, merge, clear and none', () => {
    expect(conversationChangeOf({ action: 'set', state: ' ask-email ', data: '{"name":"Ann"}' })).toEqual({ state: 'ask-email', merge: { name: 'Ann' } });
    expect(conversationChangeOf({ action: 'set', state: 'done', data: '' })).toEqual({ state: 'done' });
    expect(conversationChangeOf({ action: 'merge', data: { email: 'a@b.c' } })).toEqual({ merge: { email: 'a@b.c' } });
    expect(conversationChangeOf({ action: 'clear' })).toEqual({ clear: true });
    expect(conversationChangeOf({ action: 'none' })).toBeNull();
  });

  it('says what is wrong with bad input', () => {
    expect(() => conversationChangeOf({ action: 'set', state: ' ' })).toThrow('the state name is empty');
    expect(() => conversationChangeOf({ action: 'merge', data: '{bad' })).toThrow(/Conversation data is not valid JSON/);
    expect(() => conversationChangeOf({ action: 'merge', data: '[1]' })).toThrow('Conversation data must be a JSON object, got an array');
    expect(() => conversationChangeOf({ action: 'merge', data: '{}' })).toThrow('the data is empty');
    expect(() => conversationChangeOf({ action: 'reset' as 'set' })).toThrow('Conversation action must be one of none, set, merge, clear, got "reset"');
  });
});

describe('attaching conversations to events', () => {
  it('adds the state to message events whose chat has one, and to nothing else', async () => {
    const { store, date } = storeAt();
    const withState = messageEvent();
    const otherChat = messageEvent({ chat: { id: '1@c.us', type: 'direct', lid: null } });
    const ack = { ...ackEvent, ack: { ...ackEvent.ack!, chatId: ref.chatId } };
    await changeConversation(store, conversationRefOf(withState)!, { state: 'ask-email' }, 60, date());
    await attachConversations([withState, otherChat, ack], store);
    expect(withState.conversation).toEqual({ state: 'ask-email', data: {}, updatedAt: '2026-03-01T10:00:00.000Z' });
    expect(otherChat.conversation).toBeUndefined();
    expect(ack.conversation).toBeUndefined();
  });

  it('a failing store leaves the event without state and says why in its issues', async () => {
    const broken: ConversationStore = { get: () => Promise.reject(new Error('store down')), update: () => Promise.reject(new Error('x')) };
    const event = messageEvent();
    await attachConversations([event], broken);
    expect(event.conversation).toBeUndefined();
    expect(event.issues).toEqual([{ path: 'conversation', message: 'Conversation state could not be read: store down' }]);
  });

  it('keys by gateway, session and chat', () => {
    expect(conversationKey(ref)).not.toBe(conversationKey({ ...ref, session: 'sales' }));
    expect(conversationKey(ref)).not.toBe(conversationKey({ ...ref, provider: 'wawp' }));
    expect(conversationKey({ ...ref, session: null })).toBe('waha - 6281234567890@c.us');
  });
});

describe('memoryStores', () => {
  afterEach(clearMemoryStores);

  it('gives the same stores for the same namespace, others for another', async () => {
    const a = memoryStores('n8n:wf1');
    expect(memoryStores('n8n:wf1')).toBe(a);
    expect(memoryStores('n8n:wf2')).not.toBe(a);
    await a.conversation.update('k', { state: 's' }, 60, new Date());
    await expect(memoryStores('n8n:wf1').conversation.get('k')).resolves.toMatchObject({ state: 's' });
    await expect(memoryStores('n8n:wf2').conversation.get('k')).resolves.toBeUndefined();
    expect(a.describe()).toBe('memory');
  });

  it('the LID cache keeps entries for their TTL', async () => {
    jest.useFakeTimers({ now: T0 });
    try {
      const { lid } = memoryStores('cache');
      await lid.set('42@lid', '628', 1_000);
      await expect(lid.get('42@lid')).resolves.toBe('628');
      jest.advanceTimersByTime(1_001);
      await expect(lid.get('42@lid')).resolves.toBeUndefined();
    } finally {
      jest.useRealTimers();
    }
  });
});
