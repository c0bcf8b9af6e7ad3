/**
 * Checks grouped in scenes. A scene is a run of browser steps; its checks are named up front, so a scene that
 * stops early (a step timed out) still reports every check it did not reach as failed, with the step and error.
 */
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';

import type { Page } from 'playwright-core';

export interface Scene {
	/** Names what the scene is doing now (reported when a step throws). */
	step(label: string): void;
	/** Runs one check: passes with the returned note, fails with the thrown message; the scene goes on. */
	verify(name: string, body: () => Promise<string | void>): Promise<boolean>;
	/** A screenshot `.e2e/ui/<nn>-<scene>-<label>.png`. */
	shot(label: string): Promise<void>;
}

export class Report {
	passed = 0;
	failed = 0;
	private shots = 0;

	constructor(private readonly folder: string) {}

	private record(name: string, ok: boolean, note: string): void {
		if (ok) this.passed++;
		else this.failed++;
		const text = note ? (ok ? ` — ${note}` : `\n${note.replace(/^/gm, '     ')}`) : '';
		this.print(`${ok ? 'PASS' : 'FAIL'} ${name}${text}`);
	}

	/** To the console and to report.txt beside the screenshots. */
	print(line: string): void {
		console.log(line);
		appendFileSync(join(this.folder, 'report.txt'), `${line}\n`);
	}

	async screenshot(page: Page, label: string): Promise<string> {
		const file = join(this.folder, `${String(++this.shots).padStart(2, '0')}-${slug(label)}.png`);
		try {
			await page.screenshot({ path: file, fullPage: false, timeout: 10_000 });
		} catch {
			// A closed page has nothing to show.
		}
		return file;
	}

	async scene(title: string, page: Page, checks: string[], body: (scene: Scene) => Promise<void>): Promise<void> {
		const started = Date.now();
		this.print(`\n── ${title}`);
		const done = new Set<string>();
		let current = 'start';
		const scene: Scene = {
			step: (label) => {
				current = label;
			},
			verify: async (name, run) => {
				if (!checks.includes(name)) throw new Error(`check "${name}" is not declared in scene "${title}"`);
				done.add(name);
				try {
					const note = await run();
					this.record(name, true, note ?? '');
					return true;
				} catch (error) {
					this.record(name, false, message(error));
					await this.screenshot(page, `${title} FAILED ${name}`);
					return false;
				}
			},
			shot: async (label) => {
				await this.screenshot(page, `${title} ${label}`);
			},
		};
		try {
			await body(scene);
			await this.screenshot(page, `${title} end`);
		} catch (error) {
			const shot = await this.screenshot(page, `${title} stopped`);
			const why = `scene stopped at "${current}": ${message(error)} (screenshot ${shot.slice(this.folder.length + 1)})`;
			for (const name of checks.filter((check) => !done.has(check))) this.record(name, false, `not reached: ${why}`);
			done.clear();
			checks.forEach((check) => done.add(check));
		}
		for (const name of checks.filter((check) => !done.has(check))) this.record(name, false, 'the scene never ran this check');
		this.print(`   (${((Date.now() - started) / 1000).toFixed(1)} s)`);
	}
}

function message(error: unknown): string {
	const text = error instanceof Error ? error.message : String(error);
	// Playwright's call logs are long: the first lines say what timed out.
	return text.split('\n').slice(0, 3).join('\n');
}

function slug(text: string): string {
	return text
		.toLowerCase()
		.replace(/[^a-z0-9]+/g, '-')
		.replace(/^-|-$/g, '')
		.slice(0, 80);
}
