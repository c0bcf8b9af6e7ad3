/**
 * Debian's Chromium driven by playwright-core (no browser download exists here): installed with apt-get when
 * missing, started headless with a new empty profile.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { chromium, selectors } from 'playwright-core';
import type { Browser, BrowserContext } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

const ARGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
];

/** CI starts from a fresh machine: Debian's `chromium` package, as root or through sudo. */
function ensureChromium(log: (line: string) => void): void {
	if (existsSync(CHROMIUM)) return;
	log(`${CHROMIUM} is missing: apt-get install -y chromium`);
	const root = process.getuid?.() === 0;
	const run = (args: string[]) => {
		const [command, ...rest] = root ? args : ['sudo', ...args];
		const result = spawnSync(command, rest, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
		if (result.status !== 0) throw new Error(`${args.join(' ')} failed (exit ${result.status ?? result.signal})`);
	};
	run(['apt-get', 'update']);
	run(['apt-get', 'install', '-y', 'chromium']);
	if (!existsSync(CHROMIUM)) throw new Error(`apt-get installed chromium, but ${CHROMIUM} is still missing`);
}

export interface Chromium {
	browser: Browser;
	context: BrowserContext;
	close(): Promise<void>;
}

export async function launchChromium(log: (line: string) => void): Promise<Chromium> {
	ensureChromium(log);
	// n8n's editor marks its elements with data-test-id.
	selectors.setTestIdAttribute('data-test-id');
	const profile = mkdtempSync(join(tmpdir(), 'ninox-ui-walk-profile-'));
	const context = await chromium.launchPersistentContext(profile, {
		executablePath: CHROMIUM,
		headless: true,
		args: ARGS,
		viewport: { width: 1600, height: 1000 },
		locale: 'en-US',
		timezoneId: 'UTC',
	});
	context.setDefaultTimeout(20_000);
	const browser = context.browser();
	return {
		browser: browser as Browser,
		context,
		async close() {
			await context.close();
			rmSync(profile, { recursive: true, force: true });
		},
	};
}
