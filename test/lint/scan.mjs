// n8n's own verification scan, offline: the analysis `@n8n/scan-community-package` runs on a published package,
// applied to the sources and to what `npm pack` would publish. It ignores eslint-disable comments, so a passing
// `eslint` alone does not prove that verification passes. Builds first when dist/ is missing or older than a source.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { analyzePackage, SOURCE_FILE_PATTERNS } from '@n8n/scan-community-package/scanner/scanner.mjs';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const run = (command, args, options = {}) =>
	execFileSync(command, args, { cwd: root, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8', ...options });

/** The newest (or oldest) modification time of the files under `dir` (only `.js` ones with `jsOnly`). */
function mtime(dir, pick, jsOnly = false) {
	let found;
	for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
		if (!entry.isFile() || (jsOnly && !entry.name.endsWith('.js'))) continue;
		const time = statSync(join(entry.parentPath, entry.name)).mtimeMs;
		found = found === undefined ? time : pick(found, time);
	}
	return found;
}

const dist = join(root, 'dist');
const sourcesTime = Math.max(mtime(join(root, 'nodes'), Math.max), mtime(join(root, 'credentials'), Math.max));
if (!existsSync(dist) || !(mtime(dist, Math.min, true) >= sourcesTime)) {
	process.stdout.write('dist/ is missing or older than the sources: building first\n');
	run('npm', ['run', 'build'], { stdio: 'inherit' });
}

const work = mkdtempSync(join(tmpdir(), 'ninox-scan-'));
try {
	// The tarball as the registry would serve it, unpacked the way the scanner unpacks it (into package/).
	const [{ filename }] = JSON.parse(run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work]));
	run('tar', ['-xzf', join(work, filename), '-C', work]);

	const checks = [
		['sources', await analyzePackage(root, SOURCE_FILE_PATTERNS)],
		['npm pack output', await analyzePackage(join(work, 'package'), ['**/*.js', 'package.json'])],
	];
	let failed = false;
	for (const [label, result] of checks) {
		process.stdout.write(`n8n scanner, ${label}: ${result.passed ? 'passed' : `FAILED (${result.message})`}\n`);
		if (result.details) process.stdout.write(`${result.details}\n`);
		failed ||= !result.passed;
	}
	process.exitCode = failed ? 1 : 0;
} finally {
	rmSync(work, { recursive: true, force: true });
}
