/**
 * Starts the local Ninox server for people:
 *   npx ts-node --transpile-only test/server/cli.ts [--port 8787] [--latency ms] [--seed demo|empty] [--token t]
 * (also `npm run ninox-server -- --port 8787`). Ctrl-C stops it.
 */
import { DEMO, startNinoxServer } from './index';

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
  console.error('usage: cli.ts [--port 8787] [--latency ms] [--seed demo|empty] [--token token]');
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
  const port = args.port === undefined ? 8787 : Number(args.port);
  const latencyMs = args.latency === undefined ? 0 : Number(args.latency);
  if (!Number.isInteger(port) || port < 0 || !Number.isFinite(latencyMs)) usage();

  const server = await startNinoxServer({ port, latencyMs, seed, token: args.token });
  const teamId = DEMO.teamId;
  const example = seed === 'demo'
    ? `${server.apiUrl}/teams/${teamId}/databases/${DEMO.dbId}/tables/A/records?perPage=3`
    : `${server.apiUrl}/teams`;
  console.log(`Local Ninox server listening on ${server.apiUrl}`);
  console.log(`Token:   ${server.token}`);
  console.log(`Seed:    ${seed}${latencyMs ? `, latency ${latencyMs} ms` : ''}`);
  console.log(`Example: curl -H "Authorization: Bearer ${server.token}" "${example}"`);
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
