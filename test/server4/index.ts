/**
 * The local Ninox 4 server: an in-memory fake of the Ninox 4 Public API (CONTRACT.md) on 127.0.0.1.
 *
 * How to use in tests:
 *   import { startNinox4Server, DEMO4, seedBulkTable } from './server4';       // from test/
 *   const server = await startNinox4Server();            // demo seed, random port; { seed: 'empty' } for none
 *   // credential: base URL server.url, API key server.key, workspace ID server.workspaceId
 *   // requests:   `${server.apiUrl}/modules/crm/tables/contacts/records?limit=100` (apiUrl ends in /workspace/{ws})
 *   server.log                                             // every request: method, segments, query, body, status …
 *   server.clearLog();                                     // before the part of a test that counts requests
 *   seedBulkTable(server.store, { count: 10_000 });        // module 'bench', table 'bulk', in milliseconds
 *   server.addKey('read-only-key', []);                    // a key without scopes: writes answer 403
 *   server.faults.add({ kind: '429', retryAfterSeconds: 0, match: { method: 'POST' } });   // ../server/faults.ts
 *   await server.close();                                  // in afterAll
 * Quirks, facts and what is simplified: README.md; the *ext.* and *obs.* facts: facts.ts.
 *
 * This file is the HTTP plumbing (keys, request log, body limits, concurrency, latency, faults); the endpoints
 * are routes.ts, the data store.ts and values.ts.
 */
import { randomBytes } from 'node:crypto';
import * as http from 'node:http';
import { FaultInjector, Faults, FaultSpec, faultPhase, faultResponse, isSilent, truncate } from '../server/faults';
import { LocalHttp } from '../server/http';
import { MultipartError, multipartBoundary, parseMultipart } from '../server/multipart';
import { FACTS, Scope } from './facts';
import {
  ApiResponse, ParsedBody, PrintedFile, errorResponse, handleApiRequest, matchRoute, presignedResponse,
  unauthorizedResponse, webAppResponse,
} from './routes';
import { DEMO4, SeedName, seedStore } from './seed';
import { Store } from './store';

export { FACTS, SCOPE_OF } from './facts';
export type { Scope } from './facts';
export { Store, Table, Module, Ninox4Error, FIELD_TYPES } from './store';
export type { Field, FieldType, StoredRecord, RecordChange, SchemaChange, View, Report } from './store';
export { DEMO4, SEED_EPOCH, seedBulkTable } from './seed';
export type { SeedName, BulkTableOptions } from './seed';
export { readValue, renderRecord, writeValues } from './values';
export { parseCsv, decode as decodeCsv } from './csv';
export { renderPdf } from './pdf';

export const DEFAULT_KEY = 'ninox4-test-key-0123456789';

/** Bodies above this are not kept (protects the test process; the API limits are in FACTS). */
const MAX_KEPT_BYTES = FACTS.csvFileLimitBytes + 8 * 1024 * 1024;

export interface Ninox4ServerOptions {
  port?: number;           // default 0 = a free port
  key?: string;            // the API key with every scope (default DEFAULT_KEY)
  workspaceId?: string;    // default DEMO4.workspaceId
  seed?: SeedName;         // default 'demo'
  latencyMs?: number;      // delay before every answer
  maxConcurrent?: number;  // a request arriving while this many are handled gets 429 + Retry-After: 1
}

export interface LoggedRequest {
  method: string;
  rawPath: string;                 // as received, still percent-encoded, without the query
  /** decoded segments after /api/v1/workspace/{ws} (all decoded segments for other paths) */
  segments: string[];
  workspaceId?: string;
  query: Record<string, string>;
  body: unknown;                   // parsed JSON, {multipart: {fields, files}}, the raw text if not JSON, or undefined
  bodyBytes: number;
  contentType?: string;
  hasAuthorization: boolean;
  status: number;                  // what was sent, 0 for a reset or unanswered connection
  fault?: string;
  durationMs: number;
  authorized: boolean;             // false for 401 and 403
}

export interface Ninox4Server {
  url: string;          // 'http://127.0.0.1:PORT' (the credential's base URL)
  apiUrl: string;       // url + '/api/v1/workspace/' + workspaceId
  key: string;
  workspaceId: string;
  store: Store;
  log: LoggedRequest[];
  clearLog(): void;
  readonly peakConcurrency: number;
  setLatency(ms: number): void;
  /** another key of this workspace with the given scopes ([] = read only) */
  addKey(key: string, scopes: readonly Scope[]): void;
  faults: Faults;
  close(): Promise<void>;
}

interface ParsedPath {
  kind: 'api' | 'presigned' | 'other';
  workspaceId?: string;
  segments: string[];
}

function parsePath(rawPath: string): ParsedPath | undefined {
  const parts = rawPath.split('/').slice(1);
  if (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
  let decoded: string[];
  try {
    decoded = parts.map((p) => decodeURIComponent(p));
  } catch {
    return undefined;
  }
  if (decoded[0] === 'api' && decoded[1] === 'v1' && decoded[2] === 'workspace' && decoded.length >= 4) {
    return { kind: 'api', workspaceId: decoded[3], segments: decoded.slice(4) };
  }
  if (decoded[0] === 'presigned') return { kind: 'presigned', segments: decoded.slice(1) };
  return { kind: 'other', segments: decoded };
}

function parseQuery(search: string): Record<string, string> {
  const query: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(search)) query[key] = value;
  return query;
}

function readBody(req: http.IncomingMessage): Promise<{ data: Buffer; size: number }> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = () => resolve({ data: size > MAX_KEPT_BYTES ? Buffer.alloc(0) : Buffer.concat(chunks), size });
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_KEPT_BYTES) chunks.push(chunk);
    });
    req.on('end', done);
    req.on('error', done);
    req.on('close', done);
  });
}

/** The body as the routes see it, or a 413 when it is over the API's limit. */
function parseBody(raw: { data: Buffer; size: number }, contentType: string | undefined): ParsedBody | ApiResponse {
  const boundary = multipartBoundary(contentType);
  if (boundary) {
    // the 50 MB limit is the file's; the form around it may add a little
    if (raw.size > FACTS.csvFileLimitBytes + 1024 * 1024) return errorResponse(413, 'File too large (max 50 MB)');
    try {
      return { kind: 'multipart', value: parseMultipart(raw.data, boundary) };
    } catch (e) {
      return { kind: 'invalid', message: `Malformed multipart body: ${e instanceof MultipartError ? e.message : String(e)}` };
    }
  }
  if (raw.size > FACTS.jsonBodyLimitBytes) return errorResponse(413, 'Payload too large (max 6 MB)');
  // like the API's JSON body parser: a body without a JSON content type is not read (the handler sees none)
  if (raw.size === 0 || !/^application\/([\w.+-]+\+)?json\b/i.test(contentType ?? '')) return { kind: 'none' };
  try {
    return { kind: 'json', value: JSON.parse(raw.data.toString('utf8')) as unknown };
  } catch {
    return { kind: 'invalid', message: 'Malformed JSON body' };
  }
}

function bodyForLog(body: ParsedBody | ApiResponse, raw: Buffer): unknown {
  if (!('kind' in body)) return undefined;
  switch (body.kind) {
    case 'json': return body.value;
    case 'multipart':
      return {
        multipart: {
          fields: body.value.fields,
          files: body.value.files.map((f) => ({ name: f.name, filename: f.filename, size: f.data.length, contentType: f.contentType })),
        },
      };
    case 'invalid': return raw.toString('utf8');
    default: return raw.length ? raw.toString('utf8') : undefined;
  }
}

const STATUS_TEXT: Record<string, string> = {
  '429': 'Too many requests', '500': 'Internal server error', '502': 'Bad Gateway', '503': 'Service Unavailable', '504': 'Gateway Timeout',
};

/** An injected fault that answers without applying: Ninox 4's envelope for statuses, the classic answer otherwise. */
function faultAnswer(spec: FaultSpec, authorization: string | undefined): ApiResponse {
  if (/^\d+$/.test(spec.kind)) {
    const headers: Record<string, string> = spec.kind === '429' ? { 'retry-after': String(spec.retryAfterSeconds ?? 1) } : {};
    return errorResponse(Number(spec.kind), STATUS_TEXT[spec.kind] ?? 'Error', headers);
  }
  const f = faultResponse(spec, { authorization });
  return { status: f.status, headers: f.headers, body: Buffer.from(f.body) };
}

export async function startNinox4Server(options: Ninox4ServerOptions = {}): Promise<Ninox4Server> {
  const workspaceId = options.workspaceId ?? DEMO4.workspaceId;
  const store = new Store(workspaceId, DEMO4.workspaceName);
  seedStore(store, options.seed ?? 'demo');
  const key = options.key ?? DEFAULT_KEY;
  const keys = new Map<string, readonly Scope[]>([[key, FACTS.scopes]]);
  const faults = new FaultInjector();
  const log: LoggedRequest[] = [];
  const printed = new Map<string, PrintedFile>();
  const secret = randomBytes(16).toString('hex');
  let baseUrl = '';
  const local = new LocalHttp(options.latencyMs, options.maxConcurrent);

  function scopesOf(header: string | undefined, ws: string | undefined): readonly Scope[] | undefined {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
    return m && ws === workspaceId ? keys.get(m[1]) : undefined;   // a key is valid in its workspace only
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const method = (req.method ?? 'GET').toUpperCase();
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const rawPath = q < 0 ? url : url.slice(0, q);
    const query = parseQuery(q < 0 ? '' : url.slice(q + 1));
    const path = parsePath(rawPath);
    const entry: LoggedRequest = {
      method, rawPath, segments: path?.segments ?? [], workspaceId: path?.workspaceId, query, body: undefined, bodyBytes: 0,
      contentType: req.headers['content-type'], hasAuthorization: req.headers.authorization !== undefined,
      status: 0, durationMs: 0, authorized: false,
    };
    log.push(entry);
    const exchange = local.begin(req, res, entry);
    const { overloaded, send, reset } = exchange;

    const fault = overloaded ? undefined : faults.pick(method, rawPath);
    if (fault) entry.fault = fault.kind;
    const phase = fault ? faultPhase(fault.kind) : undefined;
    if (fault?.kind === 'reset-before') {
      reset();
      return;
    }

    const raw = await readBody(req);
    entry.bodyBytes = raw.size;
    const body = parseBody(raw, req.headers['content-type']);
    entry.body = bodyForLog(body, raw.data);
    await local.sleep(local.latencyMs);
    if (exchange.gone) return;

    if (overloaded) {
      send(errorResponse(429, 'Too many requests', { 'retry-after': '1' }));
      return;
    }
    if (fault && phase === 'before') {
      if (isSilent(fault.kind)) return;   // never answered: the client's timeout ends it
      send(faultAnswer(fault, req.headers.authorization));
      return;
    }

    let response: ApiResponse;
    const route = path?.kind === 'api' ? matchRoute(method, path.segments) : undefined;
    if (path?.kind === 'presigned' && method === 'GET') {
      entry.authorized = true;
      response = presignedResponse(store, printed, { baseUrl, secret }, path.segments, query, entry.hasAuthorization);
    } else if (!path || !route) {
      response = webAppResponse();   // *ext.* unknown paths: the web app, 200
    } else {
      const scopes = scopesOf(req.headers.authorization, path.workspaceId);
      if (!scopes) {
        response = unauthorizedResponse();
      } else if (!('kind' in body)) {
        entry.authorized = true;
        response = body;   // 413
      } else {
        response = handleApiRequest(store, { route, query, body, scopes, options: { baseUrl, secret }, printed });
        entry.authorized = response.status !== 403;
      }
    }

    switch (fault?.kind) {
      case 'silent-after':
        return;
      case 'slow':
        await local.sleep(fault.delayMs ?? 1000);
        send(response);
        return;
      case 'reset-after':
        reset();
        return;
      case 'truncated':
        send({ status: 200, headers: { 'content-type': 'application/json; charset=utf-8' }, body: Buffer.from(truncate(JSON.stringify(response.json ?? { data: null }))) });
        return;
      case 'empty':
        send({ status: 200, headers: { 'content-type': 'application/json; charset=utf-8' }, body: Buffer.alloc(0) });
        return;
      default:
        send(response);
    }
  }

  baseUrl = await local.listen(options.port ?? 0, 'ninox 4 fake server', handle, () => errorResponse(500, 'Internal server error'));

  return {
    url: baseUrl,
    apiUrl: `${baseUrl}/api/v1/workspace/${workspaceId}`,
    key,
    workspaceId,
    store,
    log,
    faults,
    clearLog() {
      log.length = 0;
      local.resetPeak();
    },
    get peakConcurrency() {
      return local.peakConcurrency;
    },
    setLatency(ms: number) {
      local.latencyMs = ms;
    },
    addKey(extra: string, scopes: readonly Scope[]) {
      keys.set(extra, [...scopes]);
    },
    close() {
      return local.close();
    },
  };
}
