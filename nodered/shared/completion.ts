/**
 * When has the flow taken a message? Node-RED's message-completion tracking: every node that
 * receives a message calls `done()` when it has finished with it (all core nodes since Node-RED
 * 1.0). Through the runtime's message hooks (Node-RED 2+), this counts, per tracked `_msgid`, the
 * deliveries in transit (`onSend`) and the inputs being handled (`onReceive`), and takes one off at
 * each `done()` (`onComplete`). A node whose input handler takes no `done` (an older node, a
 * subflow's instance) is finished when its handler returns (`postReceive`). Zero: the flow is done
 * with the message and every message it led to; `done(error)` anywhere: it failed.
 *
 * The hooks are registered only while something is tracked, so flows without the at-least-once
 * mode pay nothing.
 */
import type { NodeMessage } from './node-red';

export type Outcome = { ok: true } | { ok: false; reason: 'error'; nodeId: string };

interface Hooks {
  add(hookId: string, callback: (event: never) => unknown): void;
  remove(hookId: string): void;
}

interface Entry {
  /** Deliveries sent to a node and not yet received there, by destination node id. */
  transit: Map<string, number>;
  /** Deliveries in transit plus inputs not yet done. */
  pending: number;
  job: Job;
}

interface Job {
  open: number;
  sent: boolean;
  finish(outcome: Outcome): void;
}

export interface Tracking {
  /** Call once every message is sent: from then on the count can reach zero. */
  sent(): void;
  outcome: Promise<Outcome>;
  /** Stop tracking (a timeout or a closing node): the outcome never settles. */
  cancel(): void;
}

let labels = 0;

export function completionTracker(hooks: Hooks | undefined) {
  const entries = new Map<string, Entry>();
  const label = `waflow-completion-${++labels}`;
  let hooked = false;

  const entryOf = (msg: NodeMessage | undefined) => (msg && typeof msg._msgid === 'string' ? entries.get(msg._msgid) : undefined);

  function less(entry: Entry): void {
    entry.pending--;
    if (entry.pending <= 0) {
      entry.job.open--;
      entry.pending = Infinity; // counted once
      if (entry.job.sent && entry.job.open === 0) entry.job.finish({ ok: true });
    }
  }

  const onSend = (events: Array<{ msg: NodeMessage; destination: { id: string } }>) => {
    for (const event of events) {
      const entry = entryOf(event.msg);
      if (!entry) continue;
      entry.transit.set(event.destination.id, (entry.transit.get(event.destination.id) ?? 0) + 1);
      entry.pending++;
    }
  };
  const onReceive = (event: { msg: NodeMessage; destination: { id: string } }) => {
    const entry = entryOf(event.msg);
    if (!entry) return;
    const inTransit = entry.transit.get(event.destination.id) ?? 0;
    // A delivery reaching its node stays pending; a direct receive (a link in node) adds one.
    if (inTransit > 0) entry.transit.set(event.destination.id, inTransit - 1);
    else entry.pending++;
  };
  const postReceive = (event: { msg: NodeMessage; destination: { node?: { _expectedDoneCount?: number } } }) => {
    const entry = entryOf(event.msg);
    // No `done` to wait for: the handler returning is the end (a private field, in Node-RED 1.0 to 5).
    if (entry && event.destination.node?._expectedDoneCount === 0) less(entry);
  };
  const onComplete = (event: { msg: NodeMessage; error?: unknown; node: { id: string } }) => {
    const entry = entryOf(event.msg);
    if (!entry) return;
    if (event.error) entry.job.finish({ ok: false, reason: 'error', nodeId: event.node.id });
    else less(entry);
  };

  function hook(on: boolean): void {
    if (!hooks || on === hooked) return;
    hooked = on;
    if (on) {
      hooks.add(`onSend.${label}`, onSend);
      hooks.add(`onReceive.${label}`, onReceive);
      hooks.add(`postReceive.${label}`, postReceive);
      hooks.add(`onComplete.${label}`, onComplete);
    } else {
      hooks.remove(`*.${label}`);
    }
  }

  /** Tracks these message ids from now on (before they are sent). */
  function track(ids: string[]): Tracking {
    let resolve!: (outcome: Outcome) => void;
    const outcome = new Promise<Outcome>((r) => (resolve = r));
    let done = false;
    const end = () => {
      if (done) return;
      done = true;
      for (const id of ids) entries.delete(id);
      if (entries.size === 0) hook(false);
    };
    const job: Job = {
      open: ids.length,
      sent: false,
      finish: (result) => {
        if (done) return;
        end();
        resolve(result);
      },
    };
    for (const id of ids) entries.set(id, { transit: new Map(), pending: 0, job });
    hook(true);
    return {
      outcome,
      sent() {
        job.sent = true;
        // Sent nowhere (no wires): nothing to wait for.
        for (const id of ids) {
          const entry = entries.get(id);
          if (entry && entry.pending === 0) {
            entry.pending = 1;
            less(entry);
          }
        }
        if (job.open === 0) job.finish({ ok: true });
      },
      cancel: end,
    };
  }

  return {
    track,
    get tracked() {
      return entries.size;
    },
  };
}
