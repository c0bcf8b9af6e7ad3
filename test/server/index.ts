/**
 * The local Ninox server: a faithful in-memory fake of the Ninox REST API on 127.0.0.1 for tests, benchmarks
 * and demos. This file is the HTTP plumbing (auth token table, request log, concurrency, latency, faults);
 * the endpoints live in routes.ts, the data in store.ts. See README.md.
 */
import * as http from 'node:http';
import { LocalHttp } from './http';
import { FaultInjector, Faults, alteredJson, faultPhase, faultResponse, isSilent, truncate } from './faults';
import { MultipartError, multipartBoundary, parseMultipart } from './multipart';
import { Access, ParsedBody, errorResponse, handleApiRequest } from './routes';
import { SeedName, seedStore } from './seed';
import { Store } from './store';

export { Store, Database, Table, Team, NinoxError, WriteError, letterId, guessContentType, DEFAULT_USER_ID } from './store';
export type {
  NinoxRecord, StoredRecord, StoredFile, FileMeta, FieldSpec, TableSpec, ListQuery, RenderOptions, RecordMeta,
  DatabaseSettings, Field, FieldType, StoredValue, ChoiceStyle,
} from './store';
export { DEMO } from './seed';
export type { SeedName } from './seed';
export { FAULT_KINDS } from './faults';
export type { Faults, FaultKind, FaultSpec, FaultMatch } from './faults';
export type { Access } from './routes';
export { runScript, ScriptError } from './script';
export { encodeJpeg, thumbnailFor } from './jpeg';
export { encodePng, demoLogoPng } from './png';

export const DEFAULT_TOKEN = 'test-token-0123456789';

/** Requests bodies above this are refused outright (protects the test process, not a Ninox limit). */
const MAX_BODY_BYTES = 512 * 1024 * 1024;

export interface NinoxServerOptions {
  port?: number;            // default 0 = random free port
  token?: string;           // default 'test-token-0123456789'
  seed?: SeedName;          // default 'demo'
  latencyMs?: number;       // delay added to every response
  maxConcurrent?: number;   // a request arriving while this many are being handled gets 429 + Retry-After: 1
  maxUploadBytes?: number;  // uploads larger than this get 413 {"message":"File too large"}
}

export interface LoggedRequest {
  method: string;
  rawPath: string;                 // exactly as received, still percent-encoded, without query
  segments: string[];              // decoded path segments after /v1
  query: Record<string, string>;
  body: unknown;                   // parsed JSON, {multipart: {fields, files}}, or undefined
  status: number;                  // what was sent, or 0 for a reset connection
  fault?: string;
  durationMs: number;
  authorized: boolean;
}

export interface NinoxServer {
  url: string;        // 'http://127.0.0.1:PORT'  (no /v1)
  apiUrl: string;     // url + '/v1'
  token: string;
  store: Store;
  requests: LoggedRequest[];
  clearLog(): void;
  readonly peakConcurrency: number;
  setLatency(ms: number): void;
  addToken(token: string, access: Access): void;
  faults: Faults;
  close(): Promise<void>;
}

/** Splits first, then decodes each segment: an encoded `/` can never create a new segment. */
function decodePath(rawPath: string): { segments: string[]; routable: boolean } | undefined {
  const parts = rawPath.split('/').slice(1);
  if (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();   // one trailing slash is tolerated
  let decoded: string[];
  try {
    decoded = parts.map((p) => decodeURIComponent(p));
  } catch {
    return undefined;
  }
  const routable = parts[0] === 'v1';
  return { segments: routable ? decoded.slice(1) : decoded, routable };
}

function parseQuery(search: string): Record<string, string> {
  const query: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(search)) query[key] = value;
  return query;
}

function parseBody(raw: Buffer, contentType: string | undefined): ParsedBody {
  const boundary = multipartBoundary(contentType);
  if (boundary) {
    try {
      return { kind: 'multipart', value: parseMultipart(raw, boundary) };
    } catch (e) {
      return { kind: 'invalid', message: `Malformed multipart body: ${e instanceof MultipartError ? e.message : String(e)}` };
    }
  }
  if (raw.length === 0) return { kind: 'none' };
  try {
    return { kind: 'json', value: JSON.parse(raw.toString('utf8')) as unknown };
  } catch {
    return { kind: 'invalid', message: 'Malformed JSON body' };
  }
}

function bodyForLog(body: ParsedBody, raw: Buffer): unknown {
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
    default: return undefined;
  }
}

function readBody(req: http.IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () => resolve(size > MAX_BODY_BYTES ? undefined : Buffer.concat(chunks)));
    req.on('error', () => resolve(undefined));
    req.on('close', () => resolve(size > MAX_BODY_BYTES ? undefined : Buffer.concat(chunks)));
  });
}

export async function startNinoxServer(options: NinoxServerOptions = {}): Promise<NinoxServer> {
  const store = new Store();
  seedStore(store, options.seed ?? 'demo');
  const token = options.token ?? DEFAULT_TOKEN;
  const tokens = new Map<string, Access>([[token, 'full']]);
  const faults = new FaultInjector();
  const requests: LoggedRequest[] = [];
  const local = new LocalHttp(options.latencyMs, options.maxConcurrent);

  function accessOf(header: string | undefined): Access | undefined {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
    return m ? tokens.get(m[1]) : undefined;
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const method = (req.method ?? 'GET').toUpperCase();
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const rawPath = q < 0 ? url : url.slice(0, q);
    const query = parseQuery(q < 0 ? '' : url.slice(q + 1));
    const path = decodePath(rawPath);
    const entry: LoggedRequest = {
      method, rawPath, segments: path?.segments ?? [], query, body: undefined, status: 0, durationMs: 0, authorized: false,
    };
    requests.push(entry);
    const exchange = local.begin(req, res, entry);
    const { overloaded, send, reset } = exchange;

    const fault = overloaded ? undefined : faults.pick(method, rawPath);
    if (fault) entry.fault = fault.kind;
    if (fault?.kind === 'reset-before') {
      reset();   // nothing read, nothing applied
      return;
    }

    const raw = await readBody(req);
    if (raw === undefined) {
      send(errorResponse(413, 'Request body too large'));
      return;
    }
    const body = parseBody(raw, req.headers['content-type']);
    entry.body = bodyForLog(body, raw);
    const access = accessOf(req.headers.authorization);

    await local.sleep(local.latencyMs);
    if (exchange.gone) return;

    if (overloaded) {
      entry.authorized = access !== undefined;
      send(errorResponse(429, 'Too many requests', { 'retry-after': '1' }));
      return;
    }
    if (fault && faultPhase(fault.kind) === 'before') {
      entry.authorized = access !== undefined;
      if (isSilent(fault.kind)) return;   // never answered: the client's timeout ends it
      const f = faultResponse(fault, { authorization: req.headers.authorization });
      send({ status: f.status, headers: f.headers, body: Buffer.from(f.body) });
      return;
    }
    if (!path) {
      send(errorResponse(400, 'Malformed path'));
      return;
    }

    const { response, authorized } = handleApiRequest(
      store,
      { method, segments: path.routable ? path.segments : [], query, body, access },
      { maxUploadBytes: options.maxUploadBytes },
    );
    entry.authorized = authorized;

    // faults that act after the request was applied
    switch (fault?.kind) {
      case 'reset-after':
        reset();
        return;
      case 'truncated': {
        const text = truncate(JSON.stringify(response.json ?? { message: 'ok' }));
        send({ status: 200, headers: { 'content-type': 'application/json; charset=utf-8' }, body: Buffer.from(text) });
        return;
      }
      case 'empty':
        send({ status: 200, headers: { 'content-type': 'application/json; charset=utf-8' }, body: Buffer.alloc(0) });
        return;
      case 'silent-after':
        return;
      case 'slow':
        await local.sleep(fault.delayMs ?? 1000);
        send(response);
        return;
      case 'without-next-rids':
        send(response.json === undefined ? response : { ...response, body: Buffer.from(JSON.stringify(alteredJson(fault, response.json))) });
        return;
      default:
        send(response);
    }
  }

  const url = await local.listen(options.port ?? 0, 'ninox fake server', handle, () => errorResponse(500, 'Internal Server Error'));

  return {
    url,
    apiUrl: `${url}/v1`,
    token,
    store,
    requests,
    faults,
    clearLog() {
      requests.length = 0;
      local.resetPeak();
    },
    get peakConcurrency() {
      return local.peakConcurrency;
    },
    setLatency(ms: number) {
      local.latencyMs = ms;
    },
    addToken(extra: string, access: Access) {
      tokens.set(extra, access);
    },
    close() {
      return local.close();
    },
  };
}
