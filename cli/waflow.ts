#!/usr/bin/env node
/**
 * waflow: the package's command line, for users debugging a flow and for scripted checks.
 *   waflow inspect  feed files through one receiver, print what a node would emit
 *   waflow sign     print the headers/query a gateway would send for a body
 *   waflow send     post a realistic, correctly signed webhook to a URL
 *   waflow sandbox  run a local stand-in for the gateways' send APIs, printing what they receive
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { CANONICAL_EVENTS, type CanonicalEvent } from '../core/event/schema';
import { PROVIDER_LIST, PROVIDER_NAMES, providerOf } from '../core/providers';
import { createReceiver } from '../core/receive';
import type { SignedRequest } from '../core/providers/types';
import { SandboxGateway } from '../sandbox/gateway';
import { freshSample } from './fresh-sample';
import { sampleBody } from './samples';
import {
  algorithmFlag,
  providerSettingHelp,
  headerFlags,
  nowFlag,
  providerFlag,
  queryFlags,
  receiveFlags,
  receiveOptionsFrom,
  UsageError,
  type FlagValues,
} from './options';

const USAGE = `Usage:
  waflow inspect --provider P [--secret S] [--header "Name: value"]... [--query k=v]... [--now ISO|ms] [options] FILE...
  waflow sign    --provider P --secret S [--now ISO|ms] [--algorithm sha256|sha512] [--hmac-secret K] FILE
  waflow send    --provider P --url URL [--secret S] [--hmac-secret K] (--event KIND | FILE)
  waflow sandbox [--port 3000]

Providers: ${PROVIDER_NAMES.join(', ')}
inspect options (the same as the nodes'):
${providerSettingHelp().join('\n')}
  --allowed-ip CIDR           repeatable; with --client-ip ADDRESS
  --max-body-bytes N          default 5242880
  --max-depth N               default 64
  --events a,b                canonical events to keep (default all)
  --ignore-own --ignore-groups --ignore-channels --ignore-status
  --no-dedupe | --dedupe-ttl SEC
  --method M                  default POST
  --sign                      sign each file with --secret first (as the gateway would)
Events for send --event: ${CANONICAL_EVENTS.filter((e) => e !== 'unknown').join(', ')}
Exit status: 0 every file processed, 1 a file could not be read or a request failed, 2 usage error.`;

type Output = (line: string) => void;

export async function main(
  argv: string[],
  out: Output = (l) => process.stdout.write(`${l}\n`),
  err: Output = (l) => process.stderr.write(`${l}\n`),
): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === 'inspect') return await inspect(rest, out, err);
    if (command === 'sign') return sign(rest, out);
    if (command === 'send') return await send(rest, out, err);
    if (command === 'sandbox') return await sandbox(rest, out);
    if (command === '--help' || command === '-h' || command === 'help') {
      out(USAGE);
      return 0;
    }
    throw new UsageError(command ? `Unknown command "${command}"` : 'No command given');
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      err(`waflow: ${(error as Error).message}\n\n${USAGE}`);
      return 2;
    }
    throw error;
  }
}

function parse(args: string[], extra: Record<string, { type: 'string' | 'boolean' }> = {}) {
  const { values, positionals } = parseArgs({ args, options: { ...receiveFlags, ...extra }, allowPositionals: true, strict: true });
  return { values: values as FlagValues & Record<string, string | boolean | undefined>, positionals };
}

function requireSecret(values: FlagValues, why: string): void {
  if (!values.secret && !values['hmac-secret']) throw new UsageError(`--secret is required ${why}`);
}

function signWith(values: FlagValues, body: Buffer, nowMs: number): SignedRequest {
  const adapter = providerOf(providerFlag(values));
  requireSecret(values, 'to sign');
  return adapter.sign({
    body,
    secret: values.secret ?? '',
    nowMs,
    options: {
      secretHeader: values['secret-header'],
      hmacSecret: values['hmac-secret'],
      signatureHeader: values['signature-header'],
      secretQueryParam: values['secret-query-param'],
      algorithm: algorithmFlag(values),
    },
  });
}

async function inspect(args: string[], out: Output, err: Output): Promise<number> {
  const { values, positionals: files } = parse(args);
  if (files.length === 0) throw new UsageError('inspect needs at least one FILE');
  if (values.sign) requireSecret(values, 'with --sign');
  const options = receiveOptionsFrom(values);
  const receiver = createReceiver(options);
  const headers = headerFlags(values);
  const query = queryFlags(values);
  let exitCode = 0;
  for (const file of files) {
    let rawBody: Buffer;
    try {
      rawBody = readFileSync(file);
    } catch (error) {
      err(`waflow: cannot read ${file}: ${(error as Error).message}`);
      exitCode = 1;
      continue;
    }
    const signed = values.sign ? signWith(values, rawBody, options.clock?.() ?? Date.now()) : { headers: {}, query: {} };
    const result = await receiver.receive({
      method: values.method ?? 'POST',
      headers: { 'content-type': 'application/json', ...headers, ...lowerCaseKeys(signed.headers) },
      query: { ...query, ...signed.query },
      rawBody,
      clientIp: values['client-ip'],
    });
    out(JSON.stringify({ file, status: result.status, events: result.events, ...(result.error ? { error: result.error } : {}) }));
  }
  return exitCode;
}

function sign(args: string[], out: Output): number {
  const { values, positionals } = parse(args);
  if (positionals.length !== 1) throw new UsageError('sign needs exactly one FILE');
  requireSecret(values, 'to sign');
  const body = readFileSync(positionals[0]);
  out(JSON.stringify(signWith(values, body, nowFlag(values) ?? Date.now()), null, 2));
  return 0;
}

async function send(args: string[], out: Output, err: Output): Promise<number> {
  const { values, positionals } = parse(args, { url: { type: 'string' }, event: { type: 'string' } });
  const url = values.url as string | undefined;
  const event = values.event as string | undefined;
  if (!url) throw new UsageError('send needs --url');
  if ((event === undefined) === (positionals.length === 0)) throw new UsageError('send needs either --event KIND or one FILE');
  const adapter = providerOf(providerFlag(values));
  const nowMs = nowFlag(values) ?? Date.now();
  let body: Buffer;
  if (event !== undefined) {
    if (!(CANONICAL_EVENTS as readonly string[]).includes(event) || event === 'unknown') throw new UsageError(`--event "${event}" is not a canonical event`);
    const sample = sampleBody(adapter, event as CanonicalEvent);
    if (!sample) throw new UsageError(`${adapter.displayName} has no "${event}" event`);
    body = Buffer.from(JSON.stringify(freshSample(sample, nowMs)));
  } else {
    body = readFileSync(positionals[0]);
  }
  const signed = values.secret || values['hmac-secret'] ? signWith(values, body, nowMs) : { headers: {}, query: {} };
  const target = new URL(url);
  for (const [key, value] of Object.entries({ ...queryFlags(values), ...signed.query })) target.searchParams.set(key, value);
  try {
    const response = await fetch(target, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headerFlags(values), ...signed.headers },
      body,
      signal: AbortSignal.timeout(15_000),
    });
    const text = await response.text();
    out(JSON.stringify({ status: response.status, response: parseMaybeJson(text) }));
    return response.ok ? 0 : 1;
  } catch (error) {
    err(`waflow: POST ${target.origin}${target.pathname} failed: ${(error as Error).message}`);
    return 1;
  }
}

async function sandbox(args: string[], out: Output): Promise<number> {
  const { values } = parseArgs({ args, options: { port: { type: 'string' } }, strict: true });
  const port = Number(values.port ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be a port number, got "${values.port}"`);
  const gateway = new SandboxGateway({ log: out });
  await gateway.start(port);
  out(`Sandbox gateway listening on ${gateway.url} (loopback only). Configure:`);
  for (const line of sandboxSettings(gateway)) out(`  ${line}`);
  await new Promise<void>((resolve) => process.once('SIGINT', resolve).once('SIGTERM', resolve));
  await gateway.stop();
  return 0;
}

/** `WAHA API URL http://…/waha  API Key sandbox-waha-key`: what to type into a gateway node, per provider and variant. */
function sandboxSettings(gateway: SandboxGateway): string[] {
  return PROVIDER_LIST.flatMap((provider) =>
    provider.sandbox.variants.map((variant) => {
      const config = gateway.configFor(provider.name, variant.config.apiVersion ?? 'v5');
      const settings = provider.fields
        .filter((field) => field.section === 'api' && config[field.key as keyof typeof config] !== undefined)
        .map((field) => `${field.label} ${String(config[field.key as keyof typeof config])}`);
      return `${provider.displayName}: ${settings.join('  ')}`;
    }),
  );
}

function lowerCaseKeys(record: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k.toLowerCase(), v]));
}

function parseMaybeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: Error) => {
      process.stderr.write(`waflow: ${error.message}\n`);
      process.exit(1);
    },
  );
}
