/**
 * The n8n example workflows in examples/n8n/: each is a workflow n8n imports, made of this package's
 * nodes (their type names as package.json registers them) and n8n core nodes only, whose
 * parameters exist in the nodes' descriptions with allowed values, with no issue n8n would flag,
 * and whose connections join existing nodes on existing outputs. (The real n8n suite imports and
 * activates them: test/engines/n8n.)
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NodeHelpers, type IDataObject, type INode, type INodeProperties, type INodePropertyCollection, type INodeType } from 'n8n-workflow';
import { ruleLabel } from '../../core/router/label';
import { outputsOf, routerRulesOf } from '../../nodes/WhatsAppRouter/outputs';

const ROOT = join(__dirname, '..', '..');
const DIR = join(ROOT, 'examples', 'n8n');
const PACKAGE = '@waflow/n8n-nodes-whatsapp-gateways';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** Our node types, loaded from the sources of the files package.json registers with n8n. */
const OURS: Record<string, INodeType> = Object.fromEntries(
  (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).n8n.nodes as string[]).map((file) => {
    const module = require(join(ROOT, file.replace(/^dist\//, '').replace(/\.js$/, ''))) as Record<string, new () => INodeType>;
    const nodeType = new (Object.values(module)[0])();
    return [`${PACKAGE}.${nodeType.description.name}`, nodeType];
  }),
);

/** The n8n core nodes the examples may use, with the type versions n8n 1.123 and 2.40 both have. */
const CORE: Record<string, number[]> = {
  'n8n-nodes-base.stickyNote': [1],
  'n8n-nodes-base.noOp': [1],
  'n8n-nodes-base.googleSheets': [4.7],
  'n8n-nodes-base.set': [3.4],
  'n8n-nodes-base.convertToFile': [1.1],
  'n8n-nodes-base.readWriteFile': [1],
};

interface Workflow {
  name: string;
  nodes: Array<INode & { webhookId?: string }>;
  connections: Record<string, { main: Array<Array<{ node: string; type: string; index: number }>> }>;
  settings?: IDataObject;
}

const files = readdirSync(DIR)
  .filter((file) => file.endsWith('.json'))
  .sort();
const workflowOf = (file: string) => JSON.parse(readFileSync(join(DIR, file), 'utf8')) as Workflow;

/** Parameter names and option values a node's description does not know, as `path: problem`. */
function unknownParameters(properties: INodeProperties[], values: IDataObject, path: string): string[] {
  return Object.entries(values).flatMap(([name, value]) => {
    const property = properties.find((candidate) => candidate.name === name);
    const at = `${path}.${name}`;
    if (!property) return [`${at}: no such parameter`];
    if (typeof value === 'string' && value.startsWith('=')) return []; // an expression
    const allowed = (property.options ?? []).map((option) => (option as { value?: unknown }).value);
    if (property.type === 'options' && !allowed.includes(value)) return [`${at}: ${JSON.stringify(value)} is not an option`];
    if (property.type === 'multiOptions')
      return (value as unknown[]).filter((v) => !allowed.includes(v)).map((v) => `${at}: ${JSON.stringify(v)} is not an option`);
    if (property.type === 'collection') return unknownParameters(property.options as INodeProperties[], value as IDataObject, at);
    if (property.type === 'fixedCollection') {
      return Object.entries(value as IDataObject).flatMap(([section, entries]) => {
        const group = (property.options as INodePropertyCollection[]).find((option) => option.name === section);
        if (!group) return [`${at}.${section}: no such section`];
        return ([] as IDataObject[]).concat(entries as IDataObject).flatMap((entry, i) => unknownParameters(group.values, entry, `${at}.${section}[${i}]`));
      });
    }
    return [];
  });
}

/** How many outputs n8n gives the node: the router computes them from its rules. */
function outputCount(node: INode): number {
  if (node.type === `${PACKAGE}.whatsAppRouter`) return outputsOf(node.parameters, routerRulesOf, ruleLabel).length;
  return node.type === 'n8n-nodes-base.stickyNote' ? 0 : 1;
}

it('examples/n8n holds the eight example workflows', () => {
  expect(files).toEqual([
    'ai-agent-ready-bot.json',
    'append-to-google-sheet.json',
    'auto-reply-bot.json',
    'media-reply.json',
    'multi-step-lead-capture.json',
    'route-by-message-type.json',
    'save-documents-to-folder.json',
    'voice-note-to-file.json',
  ]);
});

describe.each(files)('examples/n8n/%s', (file) => {
  const workflow = workflowOf(file);

  it('is an n8n workflow: name, nodes with unique ids and names, connections, settings', () => {
    expect(Object.keys(workflow).sort()).toEqual(['connections', 'name', 'nodes', 'settings']);
    expect(workflow.name).toEqual(expect.any(String));
    for (const node of workflow.nodes) {
      expect(node).toEqual(
        expect.objectContaining({
          id: expect.stringMatching(UUID),
          name: expect.any(String),
          type: expect.any(String),
          typeVersion: expect.any(Number),
          parameters: expect.any(Object),
        }),
      );
      expect(node.position).toEqual([expect.any(Number), expect.any(Number)]);
    }
    expect(new Set(workflow.nodes.map((node) => node.id)).size).toBe(workflow.nodes.length);
    expect(new Set(workflow.nodes.map((node) => node.name)).size).toBe(workflow.nodes.length);
  });

  it('uses only our nodes (as package.json registers them) and n8n core nodes, in versions that exist', () => {
    for (const node of workflow.nodes) {
      const ours = OURS[node.type];
      if (ours) expect([node.name, node.typeVersion]).toEqual([node.name, ours.description.version]);
      else expect([node.name, CORE[node.type]]).toEqual([node.name, expect.arrayContaining([node.typeVersion])]);
    }
    // Examples name no credential: n8n asks for one when the workflow is opened.
    expect(workflow.nodes.filter((node) => node.credentials)).toEqual([]);
  });

  it('sets only parameters our nodes have, with allowed values, and nothing n8n would flag as an issue', () => {
    for (const node of workflow.nodes.filter((candidate) => OURS[candidate.type])) {
      const description = OURS[node.type].description;
      expect(unknownParameters(description.properties, node.parameters, node.name)).toEqual([]);
      expect([node.name, NodeHelpers.getNodeParametersIssues(description.properties, node, description)]).toEqual([node.name, null]);
      // Triggers need a webhook id for their URL (n8n gives a new one on import when it clashes).
      if (description.group.includes('trigger')) expect(node.webhookId).toMatch(UUID);
    }
  });

  it('connects existing nodes on existing outputs, every output and every node used', () => {
    const byName = new Map(workflow.nodes.map((node) => [node.name, node]));
    const reached = new Set<string>();
    for (const [source, { main }] of Object.entries(workflow.connections)) {
      expect(byName.has(source)).toBe(true);
      expect([source, main.length]).toEqual([source, outputCount(byName.get(source)!)]);
      for (const output of main) {
        expect(output.length).toBeGreaterThan(0);
        for (const target of output) {
          expect(target).toEqual({ node: expect.any(String), type: 'main', index: 0 });
          expect(byName.has(target.node)).toBe(true);
          reached.add(target.node);
        }
      }
    }
    const unreached = workflow.nodes.filter(
      (node) => node.type !== 'n8n-nodes-base.stickyNote' && !OURS[node.type]?.description.group.includes('trigger') && !reached.has(node.name),
    );
    expect(unreached.map((node) => node.name)).toEqual([]);
  });
});
