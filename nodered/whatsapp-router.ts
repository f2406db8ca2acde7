/**
 * `whatsapp router`: sends a normalized event to the outputs whose rules match, with the core's
 * router so that n8n and Node-RED route the same event the same way. Rules are compiled at deploy:
 * a bad regex is reported then, with its rule number, not on the first message.
 */
import { compileRouter, type CompiledRouter, type RouterRule } from '../core/router/rules';
import { isNormalizedEvent } from './shared/event';
import type { DoneFunction, Node, NodeAPI, NodeMessage, SendFunction } from './shared/node-red';

interface RouterConfig {
  id: string;
  name?: string;
  rules?: RouterRule[];
  /** `first` (default): the first matching rule only; `all`: every matching rule. */
  mode?: 'first' | 'all';
  /** An extra last output for events no rule matched. */
  otherwise?: boolean;
}

const NOT_AN_EVENT = 'msg.payload is not a WhatsApp event: connect this after a whatsapp in node';

export = function register(RED: NodeAPI): void {
  function WhatsappRouterNode(this: Node, config: RouterConfig) {
    RED.nodes.createNode(this, config);
    const node = this;
    const rules = Array.isArray(config.rules) ? config.rules : [];

    let router: CompiledRouter | null = null;
    try {
      router = compileRouter(rules, { mode: config.mode === 'all' ? 'all' : 'first', fallback: config.otherwise === true });
    } catch (error) {
      // RuleError messages start with "Rule N:", N as numbered in the editor.
      const message = (error as Error).message;
      node.error(message);
      node.status({ fill: 'red', shape: 'ring', text: message.length > 60 ? `${message.slice(0, 57)}…` : message });
    }

    node.on('input', (msg: NodeMessage, send?: SendFunction, done?: DoneFunction) => {
      // Node-RED before 1.0 passes neither send nor done.
      const sendOut: SendFunction = send ?? ((out) => node.send(out));
      const finish: DoneFunction = done ?? ((error) => error && node.error(error, msg));
      if (!router) return finish(new Error('The rules are invalid (see the error at deploy); fix them and redeploy'));
      if (!isNormalizedEvent(msg.payload)) return finish(new Error(NOT_AN_EVENT));

      const { outputs, matches } = router.route(msg.payload);
      if (outputs.length === 0) return finish();
      const out: Array<NodeMessage | null> = new Array(router.outputCount).fill(null);
      // Copies first, then changes: each output gets its own message, as the core switch node does.
      const copies = outputs.map((_, i) => (i === 0 ? msg : RED.util.cloneMessage(msg)));
      outputs.forEach((output, i) => {
        const copy = copies[i];
        const match = matches.find((m) => m.rule === output);
        copy.route = { rule: output < rules.length ? output + 1 : null, label: router!.labels[output] };
        if (match?.command) copy.command = match.command;
        if (match?.groups) copy.match = match.groups;
        if (match?.keyword !== undefined) copy.keyword = match.keyword;
        out[output] = copy;
      });
      sendOut(out);
      finish();
    });
  }

  RED.nodes.registerType('whatsapp router', WhatsappRouterNode);
};
