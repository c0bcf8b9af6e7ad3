/**
 * Fault injection: queued one-shot faults and seeded random faults, so tests can prove that a client
 * retries what is safe to retry and never repeats what may already have been applied.
 */

export type FaultKind =
  | '429' | '500' | '502' | '503' | '504' | 'reset-before' | 'reset-after' | 'html' | 'truncated' | 'empty'
  | AnswerFaultKind;

/**
 * Faults that answer something other than what was asked, or not at all:
 * - `silent`: reads the request and never answers (a stalled proxy); nothing is applied;
 * - `silent-after`: applies the request, then never answers;
 * - `slow`: answers normally after `delayMs`;
 * - `echo-auth`: a `status` (default 400) whose `{message}` (or, with `text`, plain-text body) quotes the request's
 *   Authorization header, as a careless server or proxy does;
 * - `json-null`: 200 with the JSON body `null` (Ninox's documented answer for a file without a thumbnail);
 * - `html-login`: 200 with an HTML login page (a proxy or single sign-on in front of Ninox);
 * - `without-next-rids`: the real answer with `nextRid`/`nextRids` left out (change feeds that do not carry them).
 */
export type AnswerFaultKind =
  | 'silent' | 'silent-after' | 'slow' | 'echo-auth' | 'json-null' | 'html-login' | 'without-next-rids';

export const FAULT_KINDS: readonly FaultKind[] = [
  '429', '500', '502', '503', '504', 'reset-before', 'reset-after', 'html', 'truncated', 'empty',
  'silent', 'silent-after', 'slow', 'echo-auth', 'json-null', 'html-login', 'without-next-rids',
];

export interface FaultSpec {
  kind: FaultKind;
  retryAfterSeconds?: number;   // for 429, default 1; may be 0
  delayMs?: number;             // for slow, default 1000
  status?: number;              // for echo-auth, default 400
  text?: boolean;               // for echo-auth: a plain-text body instead of {message}
}

/** What a fault may quote from the request it answers. */
export interface FaultRequest {
  authorization?: string;
}

export interface FaultMatch {
  method?: string;
  path?: RegExp;   // tested against the raw (still percent-encoded) path, without the query
}

export interface Faults {
  /** Queue a fault for the next `times` (default 1) matching requests; queued faults are used in order. */
  add(fault: FaultSpec & { match?: FaultMatch; times?: number }): void;
  /** Each matching request fails with probability `rate`; kinds and dice come from a PRNG seeded with `seed`. */
  random(options: { rate: number; kinds: FaultKind[]; seed: number; match?: FaultMatch; retryAfterSeconds?: number }): void;
  /** Drops queued and random faults (the `injected` count stays). */
  clear(): void;
  /** How many faults were injected so far. */
  readonly injected: number;
}

/** When a fault acts: `before` = answered without applying; `after` = the request is applied first. */
export function faultPhase(kind: FaultKind): 'socket' | 'before' | 'after' {
  if (kind === 'reset-before') return 'socket';
  if (kind === 'reset-after' || kind === 'truncated' || kind === 'empty') return 'after';
  if (kind === 'silent-after' || kind === 'slow' || kind === 'without-next-rids') return 'after';
  return 'before';
}

/** mulberry32: small, fast and reproducible. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function matches(match: FaultMatch | undefined, method: string, rawPath: string): boolean {
  if (!match) return true;
  if (match.method && match.method.toUpperCase() !== method.toUpperCase()) return false;
  if (match.path) {
    match.path.lastIndex = 0;   // a /g or /y regex keeps state between tests
    if (!match.path.test(rawPath)) return false;
  }
  return true;
}

interface Queued {
  spec: FaultSpec;
  match?: FaultMatch;
  remaining: number;
}

interface RandomFaults {
  rate: number;
  kinds: FaultKind[];
  next: () => number;
  match?: FaultMatch;
  retryAfterSeconds?: number;
}

export class FaultInjector implements Faults {
  private queue: Queued[] = [];
  private randomFaults?: RandomFaults;
  private count = 0;

  get injected(): number {
    return this.count;
  }

  add(fault: FaultSpec & { match?: FaultMatch; times?: number }): void {
    if (!FAULT_KINDS.includes(fault.kind)) throw new Error(`unknown fault kind ${String(fault.kind)}`);
    const times = fault.times ?? 1;
    if (times <= 0) return;
    const { match: _match, times: _times, ...spec } = fault;
    this.queue.push({ spec, match: fault.match, remaining: times });
  }

  random(options: { rate: number; kinds: FaultKind[]; seed: number; match?: FaultMatch; retryAfterSeconds?: number }): void {
    if (!options.kinds.length) throw new Error('random faults need at least one kind');
    this.randomFaults = {
      rate: options.rate, kinds: [...options.kinds], next: prng(options.seed), match: options.match,
      retryAfterSeconds: options.retryAfterSeconds,
    };
  }

  clear(): void {
    this.queue = [];
    this.randomFaults = undefined;
  }

  /** The fault for this request, if any (consumes a queued one). */
  pick(method: string, rawPath: string): FaultSpec | undefined {
    const index = this.queue.findIndex((q) => matches(q.match, method, rawPath));
    if (index >= 0) {
      const queued = this.queue[index];
      queued.remaining -= 1;
      if (queued.remaining <= 0) this.queue.splice(index, 1);
      this.count += 1;
      return queued.spec;
    }
    const r = this.randomFaults;
    if (r && matches(r.match, method, rawPath)) {
      // two draws per matching request, always, so the sequence depends only on the seed and the requests
      const roll = r.next();
      const pickKind = r.next();
      if (roll < r.rate) {
        this.count += 1;
        return { kind: r.kinds[Math.floor(pickKind * r.kinds.length)], retryAfterSeconds: r.retryAfterSeconds };
      }
    }
    return undefined;
  }
}

export interface FaultResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const STATUS_TEXT: Record<string, string> = {
  '500': 'Internal Server Error', '502': 'Bad Gateway', '503': 'Service Unavailable', '504': 'Gateway Timeout',
};

/** The answer for a fault that is answered without applying the request (429, 5xx, html, echo-auth, …). */
export function faultResponse(spec: FaultSpec, request: FaultRequest = {}): FaultResponse {
  const json = { 'content-type': 'application/json; charset=utf-8' };
  switch (spec.kind) {
    case 'echo-auth': {
      const message = `Bad request. Headers received: Authorization: ${request.authorization ?? '(none)'}`;
      return spec.text
        ? { status: spec.status ?? 400, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: message }
        : { status: spec.status ?? 400, headers: json, body: JSON.stringify({ message }) };
    }
    case 'json-null':
      return { status: 200, headers: json, body: 'null' };
    case 'html-login':
      return {
        status: 200,
        headers: { 'content-type': 'text/html; charset=utf-8' },
        body: '<!DOCTYPE html>\n<html><head><title>Sign in</title></head><body><form method="post" action="/login">'
          + '<input name="user"><input name="password" type="password"><button>Sign in</button></form></body></html>\n',
      };
    case '429':
      return {
        status: 429,
        headers: { ...json, 'retry-after': String(spec.retryAfterSeconds ?? 1) },
        body: JSON.stringify({ message: 'Too many requests' }),
      };
    case 'html':
      // what an nginx in front of the API shows when the backend is down
      return {
        status: 502,
        headers: { 'content-type': 'text/html' },
        body: '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n'
          + '<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n',
      };
    default:
      return { status: Number(spec.kind), headers: json, body: JSON.stringify({ message: STATUS_TEXT[spec.kind] }) };
  }
}

/** Faults whose connection is left open without an answer. */
export function isSilent(kind: FaultKind): boolean {
  return kind === 'silent' || kind === 'silent-after';
}

/** The real answer's JSON as an `after` fault changes it (only `without-next-rids` does). */
export function alteredJson(spec: FaultSpec, json: unknown): unknown {
  if (spec.kind !== 'without-next-rids' || typeof json !== 'object' || json === null) return json;
  const { nextRid: _nextRid, nextRids: _nextRids, ...rest } = json as Record<string, unknown>;
  return rest;
}

/** A JSON text cut in the middle (never complete, never empty). */
export function truncate(json: string): string {
  const source = json.length >= 2 ? json : '{"message":"ok"}';
  return source.slice(0, Math.max(1, Math.floor(source.length / 2)));
}
