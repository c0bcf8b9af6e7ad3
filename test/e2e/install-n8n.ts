/**
 * The real n8n app for the end-to-end test and the demo: installed from a committed lockfile into a cache folder
 * outside the package's own dependencies, and driven through its CLI.
 *
 * Each supported n8n version has a folder `test/e2e/n8n-app/<version>/` with `package.json` + `package-lock.json`
 * (and `node-version` when it needs a newer Node than the one running us, which is then installed from the npm
 * registry's `node` package). The install lives in `$XDG_CACHE_HOME|~/.cache/n8n-nodes-ninox-api/n8n-<version>-<hash>`,
 * keyed by the hash of those files, so a fresh clone on the same machine reuses it and a changed lockfile reinstalls.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
	closeSync,
	copyFileSync,
	existsSync,
	lstatSync,
	mkdirSync,
	openSync,
	readdirSync,
	readFileSync,
	renameSync,
	rmSync,
	symlinkSync,
	writeFileSync,
} from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

export const REPO_ROOT = resolve(__dirname, '..', '..');
export const DEFAULT_N8N_VERSION = '2.8.4';
const SPECS_DIR = join(__dirname, 'n8n-app');
const MARKER = '.ninox-e2e-installed';

export function cacheRoot(): string {
	const base = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
	return join(base, 'n8n-nodes-ninox-api');
}

export interface N8nApp {
	version: string;
	/** The folder holding node_modules/n8n. */
	dir: string;
	/** The Node binary n8n runs on (ours, or the one installed for this version). */
	nodeBin: string;
	/** n8n's CLI entry (run as `nodeBin n8nEntry …`). */
	n8nEntry: string;
	/** Whether this call installed it (false: taken from the cache). */
	installed: boolean;
	installSeconds: number;
}

export type Log = (line: string) => void;

function specDir(version: string): string {
	const dir = join(SPECS_DIR, version);
	if (!existsSync(join(dir, 'package.json'))) {
		throw new Error(`No install spec for n8n ${version}: expected ${join(dir, 'package.json')}`);
	}
	return dir;
}

function specFiles(dir: string): string[] {
	return ['package.json', 'package-lock.json', 'node-version'].filter((name) => existsSync(join(dir, name)));
}

function specHash(dir: string): string {
	const hash = createHash('sha256');
	for (const name of specFiles(dir)) {
		hash.update(name + '\0').update(readFileSync(join(dir, name))).update('\0');
	}
	return hash.digest('hex').slice(0, 12);
}

/** Runs a command to its end, streaming its output into `logFile`; rejects on a non-zero exit. */
export function runLogged(
	command: string,
	args: string[],
	options: { cwd: string; env?: NodeJS.ProcessEnv; logFile: string },
): Promise<void> {
	return new Promise((resolvePromise, reject) => {
		const out = openSync(options.logFile, 'a');
		const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', out, out] });
		child.on('error', reject);
		child.on('close', (code) => {
			closeSync(out);
			if (code === 0) resolvePromise();
			else reject(new Error(`${command} ${args.join(' ')} exited with ${code} (log: ${options.logFile})`));
		});
	});
}

/** The npm registry's `node` package ships the real binary: install the pinned version once into the cache. */
async function ensureNode(version: string, log: Log): Promise<string> {
	const dir = join(cacheRoot(), `node-${version}`);
	const bin = join(dir, 'node_modules', 'node', 'bin', 'node');
	if (existsSync(join(dir, MARKER)) && existsSync(bin)) return bin;
	log(`installing Node ${version} from the npm registry into ${dir}`);
	const tmp = `${dir}.tmp-${process.pid}`;
	rmSync(tmp, { recursive: true, force: true });
	mkdirSync(tmp, { recursive: true });
	writeFileSync(join(tmp, 'package.json'), JSON.stringify({ private: true, dependencies: { node: version } }, null, 2));
	await runLogged('npm', ['install', '--no-audit', '--no-fund'], {
		cwd: tmp,
		logFile: join(tmp, 'install.log'),
	});
	const tmpBin = join(tmp, 'node_modules', 'node', 'bin', 'node');
	const check = spawnSync(tmpBin, ['-v'], { encoding: 'utf8' });
	if (check.stdout.trim() !== `v${version}`) {
		throw new Error(`The installed Node reports "${check.stdout.trim()}${check.stderr.trim()}", expected v${version}`);
	}
	writeFileSync(join(tmp, MARKER), version);
	rmSync(dir, { recursive: true, force: true });
	renameSync(tmp, dir);
	return bin;
}

/**
 * Makes sure n8n `version` is installed (npm ci from the committed lockfile) and returns how to run it.
 * `updateLock`: install with `npm install` instead and copy the resulting lockfile back into the repo
 * (for moving to another n8n version).
 */
export async function ensureN8nApp(version: string, log: Log, updateLock = false): Promise<N8nApp> {
	const spec = specDir(version);
	const nodeVersionFile = join(spec, 'node-version');
	const nodeBin = existsSync(nodeVersionFile)
		? await ensureNode(readFileSync(nodeVersionFile, 'utf8').trim(), log)
		: process.execPath;
	const hasLock = existsSync(join(spec, 'package-lock.json'));
	const dir = join(cacheRoot(), `n8n-${version}-${specHash(spec)}`);
	const n8nEntry = join(dir, 'node_modules', 'n8n', 'bin', 'n8n');
	linkIntoRepo(version, dir);
	if (!updateLock && hasLock && existsSync(join(dir, MARKER)) && existsSync(n8nEntry)) {
		return { version, dir, nodeBin, n8nEntry, installed: false, installSeconds: 0 };
	}

	const started = Date.now();
	removeAbandonedInstalls();
	const tmp = `${dir}.tmp-${process.pid}`;
	rmSync(tmp, { recursive: true, force: true });
	mkdirSync(tmp, { recursive: true });
	for (const name of specFiles(spec)) copyFileSync(join(spec, name), join(tmp, name));
	const command = hasLock && !updateLock ? 'ci' : 'install';
	log(`installing n8n ${version} (npm ${command}, several minutes and a few GB) into ${dir}`);
	// The chosen Node first on PATH: npm, node-gyp and install scripts then build for the Node n8n runs on.
	const env = { ...process.env, PATH: `${dirname(nodeBin)}:${process.env.PATH ?? ''}` };
	try {
		await runLogged('npm', [command, '--no-audit', '--no-fund'], { cwd: tmp, env, logFile: join(tmp, 'install.log') });
		const check = spawnSync(nodeBin, [join(tmp, 'node_modules', 'n8n', 'bin', 'n8n'), '--version'], {
			cwd: tmp,
			env,
			encoding: 'utf8',
		});
		if (!check.stdout.includes(version)) {
			throw new Error(`n8n --version printed "${check.stdout.trim()} ${check.stderr.trim()}", expected ${version}`);
		}
	} catch (error) {
		// Keep the log, not the gigabytes.
		const failedLog = join(cacheRoot(), `n8n-${version}-failed-install.log`);
		if (existsSync(join(tmp, 'install.log'))) copyFileSync(join(tmp, 'install.log'), failedLog);
		rmSync(tmp, { recursive: true, force: true });
		throw new Error(`Installing n8n ${version} failed (log: ${failedLog}): ${(error as Error).message}`);
	}
	let finalDir = dir;
	if (command === 'install') {
		copyFileSync(join(tmp, 'package-lock.json'), join(spec, 'package-lock.json'));
		log(`wrote ${join(spec, 'package-lock.json')}: commit it`);
		finalDir = join(cacheRoot(), `n8n-${version}-${specHash(spec)}`);
	}
	writeFileSync(join(tmp, MARKER), specHash(spec));
	if (existsSync(join(finalDir, MARKER)) && !updateLock) {
		// Another run finished the same install first: use that one.
		rmSync(tmp, { recursive: true, force: true });
	} else {
		rmSync(finalDir, { recursive: true, force: true });
		renameSync(tmp, finalDir);
	}
	linkIntoRepo(version, finalDir);
	return {
		version,
		dir: finalDir,
		nodeBin,
		n8nEntry: join(finalDir, 'node_modules', 'n8n', 'bin', 'n8n'),
		installed: true,
		installSeconds: Math.round((Date.now() - started) / 1000),
	};
}

/** Half-finished installs (`….tmp-<pid>`) of processes that no longer run take gigabytes: remove them. */
function removeAbandonedInstalls(): void {
	if (!existsSync(cacheRoot())) return;
	for (const name of readdirSync(cacheRoot())) {
		const pid = Number(/\.tmp-(\d+)$/.exec(name)?.[1]);
		if (!pid || pid === process.pid) continue;
		try {
			process.kill(pid, 0);
		} catch {
			rmSync(join(cacheRoot(), name), { recursive: true, force: true });
		}
	}
}

/** `.n8n-app/<version>` in the repo points at the cached install, for people who want to look at it. */
function linkIntoRepo(version: string, target: string): void {
	const link = join(REPO_ROOT, '.n8n-app', version);
	try {
		mkdirSync(dirname(link), { recursive: true });
		if (lstatSync(link, { throwIfNoEntry: false })) rmSync(link, { force: true });
		symlinkSync(target, link);
	} catch {
		// A convenience only.
	}
}

/** `ts-node --transpile-only test/e2e/install-n8n.ts [--n8n=2.8.4] [--update-lock]`: install (or check) ahead of time. */
if (require.main === module) {
	const versionArg = process.argv.find((arg) => arg.startsWith('--n8n='));
	const version = versionArg ? versionArg.slice('--n8n='.length) : DEFAULT_N8N_VERSION;
	ensureN8nApp(version, (line) => console.log(line), process.argv.includes('--update-lock')).then(
		(app) => {
			console.log(
				`n8n ${app.version} ${app.installed ? `installed in ${app.installSeconds} s` : 'taken from the cache'}: ${app.dir}` +
					` (Node ${app.nodeBin})`,
			);
		},
		(error: unknown) => {
			console.error(error instanceof Error ? error.message : error);
			process.exitCode = 1;
		},
	);
}
