/**
 * "typing…" (or "recording…") before a message, the same in both engines: how long, and the order
 * of calls. The indicator is shown, the delay waited out, then the message sent; a gateway that
 * has no indicator still gets the pause, so a flow's pacing does not depend on the gateway.
 */
import { sleep } from './http';
import type { GatewayClient, TypingInput } from './types';

/** Off (default), a fixed time, or a time that grows with the text's length within bounds. */
export type TypingMode = 'off' | 'fixed' | 'byLength';
export const TYPING_MODES: readonly TypingMode[] = ['off', 'fixed', 'byLength'];

export interface TypingOptions {
  mode: TypingMode;
  /** `fixed`: the time to show it, ms. */
  ms?: number;
  /** `byLength`: bounds, ms, and the time per character of text. */
  minMs?: number;
  maxMs?: number;
  msPerChar?: number;
}

export const TYPING_DEFAULTS = { ms: 2000, minMs: 1000, maxMs: 8000, msPerChar: 50 } as const;
/** No indicator outlasts this: a typo in a flow must not hold a message for hours. */
export const TYPING_MAX_MS = 60_000;

const bounded = (ms: number) => Math.min(Math.max(0, Math.round(ms)), TYPING_MAX_MS);

/** How long to show the indicator before this text (0: not at all). */
export function typingDelayMs(options: TypingOptions | undefined, text: string): number {
  if (!options || options.mode === 'off') return 0;
  if (options.mode === 'fixed') return bounded(options.ms ?? TYPING_DEFAULTS.ms);
  const min = bounded(options.minMs ?? TYPING_DEFAULTS.minMs);
  const max = Math.max(min, bounded(options.maxMs ?? TYPING_DEFAULTS.maxMs));
  return Math.min(max, Math.max(min, text.length * (options.msPerChar ?? TYPING_DEFAULTS.msPerChar)));
}

/** Why these options cannot work, or null (negative times, a minimum above the maximum). */
export function typingOptionsProblem(options: TypingOptions): string | null {
  for (const key of ['ms', 'minMs', 'maxMs', 'msPerChar'] as const) {
    const value = options[key];
    if (value !== undefined && (!Number.isFinite(value) || value < 0)) return `Typing: ${key} must be a number ≥ 0, got ${String(value)}`;
  }
  if (options.mode === 'byLength' && (options.minMs ?? 0) > (options.maxMs ?? TYPING_DEFAULTS.maxMs)) {
    return 'Typing: the minimum time is above the maximum';
  }
  return null;
}

export interface TypingRun {
  /** The time waited before the message, ms. */
  delayMs: number;
  /** Whether the gateway showed the indicator (false: it has none, or it refused; the pause was kept). */
  shown: boolean;
  /** Why it was not shown, when it was not. */
  problem: string | null;
}

export interface TypingDeps {
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  now?: () => number;
  signal?: AbortSignal;
}

/**
 * Shows the indicator for `delayMs`, then clears it, then runs `send`. A failing indicator never
 * fails the message: it is reported in the run and the pause is kept. `supported` false (the
 * gateway declares no typing) skips the calls.
 */
export async function withTyping<T>(
  client: GatewayClient,
  supported: boolean,
  input: Omit<TypingInput, 'durationMs'>,
  delayMs: number,
  send: () => Promise<T>,
  deps: TypingDeps = {},
): Promise<{ result: T; typing: TypingRun | null }> {
  if (delayMs <= 0) return { result: await send(), typing: null };
  const wait = deps.sleep ?? sleep;
  const now = deps.now ?? Date.now;
  const typingInput: TypingInput = { ...input, durationMs: delayMs };
  let problem: string | null = supported ? null : 'not supported by the gateway';
  let held = false;
  if (supported) {
    // Evolution holds this call for the whole delay (and says so): then nothing is left to wait.
    held = (await client.startTyping(typingInput).catch((error: Error) => void (problem = error.message))) === true;
  }
  // Counted from when the indicator is up, and never short (a timer may fire a little early).
  const shownAt = now();
  while (!held && !deps.signal?.aborted) {
    const left = delayMs - (now() - shownAt);
    if (left <= 0) break;
    await wait(left, deps.signal);
  }
  if (supported && !problem) await client.stopTyping(typingInput).catch(() => undefined);
  return { result: await send(), typing: { delayMs, shown: supported && !problem, problem } };
}
