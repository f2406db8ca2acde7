/** The typing delay (core/send/typing.ts) and the order of calls around a send; time is simulated. */
import {
  createClient,
  planLocation,
  planMedia,
  planReact,
  SendPlanError,
  typingDelayMs,
  typingOptionsProblem,
  withTyping,
  TYPING_MAX_MS,
} from '../../core/send';
import type { GatewayClient } from '../../core/send';
import type { NormalizedEvent } from '../../core/event/schema';

describe('typingDelayMs', () => {
  it('is 0 when off or unset, the set time when fixed, capped at the maximum', () => {
    expect(typingDelayMs(undefined, 'hello')).toBe(0);
    expect(typingDelayMs({ mode: 'off', ms: 5000 }, 'hello')).toBe(0);
    expect(typingDelayMs({ mode: 'fixed', ms: 1500 }, '')).toBe(1500);
    expect(typingDelayMs({ mode: 'fixed', ms: 10 * 60_000 }, '')).toBe(TYPING_MAX_MS);
  });

  it('grows with the text within its bounds', () => {
    const options = { mode: 'byLength' as const, minMs: 1000, maxMs: 4000, msPerChar: 50 };
    expect(typingDelayMs(options, 'hi')).toBe(1000);
    expect(typingDelayMs(options, 'x'.repeat(40))).toBe(2000);
    expect(typingDelayMs(options, 'x'.repeat(1000))).toBe(4000);
  });

  it('refuses negative times and a minimum above the maximum', () => {
    expect(typingOptionsProblem({ mode: 'fixed', ms: -1 })).toMatch(/≥ 0/);
    expect(typingOptionsProblem({ mode: 'byLength', minMs: 5000, maxMs: 1000 })).toMatch(/minimum time is above the maximum/);
    expect(typingOptionsProblem({ mode: 'byLength', minMs: 100, maxMs: 1000 })).toBeNull();
  });
});

describe('withTyping', () => {
  function fakeClient(calls: string[], fail = false): GatewayClient {
    return {
      startTyping: async () => {
        calls.push('start');
        if (fail) throw new Error('gateway said no');
      },
      stopTyping: async () => void calls.push('stop'),
    } as unknown as GatewayClient;
  }

  it('shows the indicator, waits the delay, clears it, then sends', async () => {
    const calls: string[] = [];
    let clock = 0;
    const deps = { now: () => clock, sleep: async (ms: number) => void (calls.push(`sleep ${ms}`), (clock += ms)) };
    const { result, typing } = await withTyping(fakeClient(calls), true, { chatId: 'c', kind: 'typing' }, 1200, async () => calls.push('send') && 'sent', deps);
    expect(calls).toEqual(['start', 'sleep 1200', 'stop', 'send']);
    expect(result).toBe('sent');
    expect(typing).toEqual({ delayMs: 1200, shown: true, problem: null });
  });

  it('waits no more when the gateway held the call for the delay (Evolution)', async () => {
    const calls: string[] = [];
    const client = { startTyping: async () => true, stopTyping: async () => undefined } as unknown as GatewayClient;
    await withTyping(client, true, { chatId: 'c', kind: 'typing' }, 1200, async () => calls.push('send'), {
      now: () => 0,
      sleep: async (ms) => void calls.push(`sleep ${ms}`),
    });
    expect(calls).toEqual(['send']);
  });

  it('a timer that fires early is waited out again: the message never goes before the delay', async () => {
    const calls: string[] = [];
    let clock = 0;
    const deps = { now: () => clock, sleep: async (ms: number) => void (calls.push(`sleep ${ms}`), (clock += Math.max(1, ms - 2))) };
    await withTyping(fakeClient(calls), true, { chatId: 'c', kind: 'typing' }, 100, async () => calls.push('send'), deps);
    expect(calls.slice(0, 3)).toEqual(['start', 'sleep 100', 'sleep 2']);
    expect(clock).toBeGreaterThanOrEqual(100);
  });

  it('a failing or missing indicator never fails the message: the pause is kept and the problem reported', async () => {
    const calls: string[] = [];
    let clock = 0;
    const deps = { now: () => clock, sleep: async (ms: number) => void (calls.push(`sleep ${ms}`), (clock += ms)) };
    const failed = await withTyping(fakeClient(calls, true), true, { chatId: 'c', kind: 'typing' }, 500, async () => calls.push('send'), deps);
    expect(calls).toEqual(['start', 'sleep 500', 'send']);
    expect(failed.typing).toEqual({ delayMs: 500, shown: false, problem: 'gateway said no' });
    calls.length = 0;
    clock = 0;
    const unsupported = await withTyping(fakeClient(calls), false, { chatId: 'c', kind: 'typing' }, 500, async () => calls.push('send'), deps);
    expect(calls).toEqual(['sleep 500', 'send']);
    expect(unsupported.typing?.problem).toBe('not supported by the gateway');
  });

  it('no delay: no indicator, just the send', async () => {
    const calls: string[] = [];
    const { typing } = await withTyping(fakeClient(calls), true, { chatId: 'c', kind: 'typing' }, 0, async () => calls.push('send'));
    expect(calls).toEqual(['send']);
    expect(typing).toBeNull();
  });
});

describe('planning rich replies', () => {
  const event = {
    provider: 'waha',
    event: 'message',
    session: 'default',
    message: { id: 'false_1@c.us_AAA', chat: { id: '1@c.us', type: 'direct' }, direction: 'inbound' },
  } as unknown as NormalizedEvent;
  const base = { mode: 'quote' as const, event, provider: 'waha', notAnEvent: 'no event' };

  it('media: quotes the triggering message; voice notes drop the caption', () => {
    expect(planMedia({ ...base, kind: 'image', file: { url: 'https://x/y.jpg' }, caption: ' Hi ' })).toEqual({
      chatId: '1@c.us',
      replyTo: 'false_1@c.us_AAA',
      session: 'default',
      kind: 'image',
      file: { url: 'https://x/y.jpg' },
      caption: 'Hi',
    });
    expect(planMedia({ ...base, kind: 'voice', file: { url: 'https://x/y.ogg' }, caption: 'Hi' }).caption).toBeNull();
  });

  it('location: coordinates as text or numbers, within range', () => {
    expect(planLocation({ ...base, latitude: '-6.1754', longitude: 106.8272, name: 'Monas' })).toEqual(
      expect.objectContaining({ latitude: -6.1754, longitude: 106.8272, name: 'Monas', address: null }),
    );
    expect(() => planLocation({ ...base, latitude: '91', longitude: 0 })).toThrow(SendPlanError);
    expect(() => planLocation({ ...base, latitude: '', longitude: 0 })).toThrow(/latitude must be a number/);
  });

  it('react: the triggering message; empty removes; more than one emoji is refused; no event is refused', () => {
    expect(planReact(event, 'waha', '👍', 'no event')).toEqual({
      chatId: '1@c.us',
      messageId: 'false_1@c.us_AAA',
      emoji: '👍',
      fromMe: false,
      session: 'default',
    });
    expect(planReact(event, 'waha', '', 'no event').emoji).toBe('');
    expect(() => planReact(event, 'waha', 'thanks a lot!', 'no event')).toThrow(/one emoji/);
    expect(() => planReact(null, 'waha', '👍', 'connect a trigger')).toThrow('Nothing to react to: connect a trigger');
  });

  it('the guard refuses a missing kind before the client is called', async () => {
    const client = createClient('waha', { baseUrl: 'http://127.0.0.1:9', apiKey: 'k' });
    await expect(client.sendMedia({ chatId: '1@c.us', kind: 'audio', file: { url: 'https://x/a.mp3' } })).rejects.toThrow(
      'WAHA does not support sending audio files (apart from voice notes): WAHA sends audio as a voice note (Send Voice Note) or as a file (Send Document)',
    );
  });
});
