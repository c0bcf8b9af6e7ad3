/**
 * What both local servers (classic Ninox and Ninox 4) share beneath their APIs: listening on 127.0.0.1, the
 * latency added to every answer, the count of concurrent requests (peakConcurrency, maxConcurrent), sending and
 * resetting, and a close that wakes every delayed answer at once.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';

export interface SentResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/** The part of a request log entry the plumbing fills in. */
export interface ExchangeLog {
  status: number;
  durationMs: number;
}

/** One request's way out: its answer, or a reset connection. */
export interface Exchange {
  /** Past maxConcurrent: to be refused without being handled. */
  overloaded: boolean;
  send(response: SentResponse): void;
  reset(): void;
  /** The client went away. */
  readonly gone: boolean;
}

export class LocalHttp {
  latencyMs: number;
  private inFlight = 0; // every request between arrival and the end of its response (peakConcurrency)
  private active = 0; // requests accepted for handling (what maxConcurrent limits)
  private peak = 0;
  private readonly sleeping = new Set<() => void>();
  private server: http.Server | undefined;
  private closing: Promise<void> | undefined;

  constructor(
    latencyMs = 0,
    private readonly maxConcurrent?: number,
  ) {
    this.latencyMs = latencyMs;
  }

  get peakConcurrency(): number {
    return this.peak;
  }

  /** With a cleared request log: the peak counts from the requests still open. */
  resetPeak(): void {
    this.peak = this.inFlight;
  }

  /** Waits `ms`, or less if the server closes meanwhile. */
  sleep(ms: number): Promise<void> {
    if (ms <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.sleeping.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.sleeping.add(wake);
    });
  }

  /** Counts the request while its response is open, and gives its way out; `entry` gets status and duration. */
  begin(req: http.IncomingMessage, res: http.ServerResponse, entry: ExchangeLog): Exchange {
    const started = performance.now();
    const overloaded = this.maxConcurrent !== undefined && this.active >= this.maxConcurrent;
    this.inFlight += 1;
    this.peak = Math.max(this.peak, this.inFlight);
    if (!overloaded) this.active += 1;
    let finished = false;
    res.on('close', () => {
      if (finished) return;
      finished = true;
      this.inFlight -= 1;
      if (!overloaded) this.active -= 1;
      entry.durationMs = performance.now() - started;
    });
    req.on('error', () => undefined);
    res.on('error', () => undefined);
    return {
      overloaded,
      send(response) {
        if (res.destroyed) return; // the client went away: nothing was sent (status stays 0)
        entry.status = response.status;
        res.writeHead(response.status, { ...response.headers, 'content-length': String(response.body.length) });
        res.end(response.body);
      },
      reset() {
        entry.status = 0;
        req.socket.destroy();
      },
      get gone() {
        return res.destroyed;
      },
    };
  }

  /** Serves `handle` on 127.0.0.1 (port 0: any free one); a handler that throws answers `internalError`. */
  async listen(
    port: number,
    label: string,
    handle: (req: http.IncomingMessage, res: http.ServerResponse) => Promise<void>,
    internalError: () => SentResponse,
  ): Promise<string> {
    const server = http.createServer((req, res) => {
      handle(req, res).catch((e: unknown) => {
        console.error(`[${label}] request failed:`, e);
        if (!res.headersSent && !res.destroyed) {
          const r = internalError();
          res.writeHead(r.status, r.headers);
          res.end(r.body);
        }
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  close(): Promise<void> {
    this.closing ??= new Promise<void>((resolve) => {
      for (const wake of [...this.sleeping]) wake();
      if (!this.server) return resolve();
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
    return this.closing;
  }
}
