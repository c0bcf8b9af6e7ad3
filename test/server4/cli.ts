/**
 * Starts the local Ninox 4 server for people:
 *   npx ts-node --transpile-only test/server4/cli.ts [--port 8788] [--latency ms] [--seed demo|empty] [--key k]
 *     [--workspace id] [--bulk n]
 * (also `npm run ninox4-server -- --port 8788`). `--bulk n` adds module `bench`, table `bulk` with n records.
 * Ctrl-C stops it.
 */
import { DEMO4, seedBulkTable, startNinox4Server } from './index';

function parseArgs(argv: string[]): Record<string, string> {
  const args: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const m = /^--([^=]+)(?:=(.*))?$/.exec(argv[i]);
    if (!m) throw new Error(`unexpected argument ${argv[i]}`);
    args[m[1]] = m[2] ?? argv[++i] ?? '';
  }
  return args;
}

function usage(): never {
  console.error('usage: cli.ts [--port 8788] [--latency ms] [--seed demo|empty] [--key key] [--workspace id] [--bulk n]');
  process.exit(2);
}

async function main(): Promise<void> {
  let args: Record<string, string>;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch {
    usage();
  }
  if ('help' in args) usage();
  const seed = args.seed ?? 'demo';
  if (seed !== 'demo' && seed !== 'empty') usage();
  const port = args.port === undefined ? 8788 : Number(args.port);
  const latencyMs = args.latency === undefined ? 0 : Number(args.latency);
  const bulk = args.bulk === undefined ? 0 : Number(args.bulk);
  const workspaceId = args.workspace ?? DEMO4.workspaceId;
  if (!Number.isInteger(port) || port < 0 || !Number.isFinite(latencyMs) || !Number.isInteger(bulk) || bulk < 0) usage();
  if (!/^[a-z0-9]{12}$/.test(workspaceId)) usage();

  const server = await startNinox4Server({ port, latencyMs, seed, key: args.key, workspaceId });
  if (bulk) seedBulkTable(server.store, { count: bulk });
  const example = seed === 'demo'
    ? `${server.apiUrl}/modules/${DEMO4.module}/tables/${DEMO4.contacts}/records?limit=3`
    : `${server.apiUrl}/modules`;
  console.log(`Local Ninox 4 server listening on ${server.url}`);
  console.log(`Workspace ID: ${server.workspaceId}`);
  console.log(`API key:      ${server.key}`);
  console.log(`Seed:         ${seed}${bulk ? ` + bench/bulk with ${bulk} records` : ''}${latencyMs ? `, latency ${latencyMs} ms` : ''}`);
  console.log(`Example:      curl -H "Authorization: Bearer ${server.key}" "${example}"`);
  console.log('Press Ctrl-C to stop.');

  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    void server.close().then(() => {
      console.log('stopped');
      process.exit(0);
    });
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

void main();
