/**
 * What every reliability test file shares: a leak sink that scans outputs, errors and logs for the token, and the
 * summary table (case, tried, passed, lost, duplicated, leaks) each file prints and keeps in the OS temp dir.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Logger } from '@n8n/backend-common';
import { Container } from '@n8n/di';
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';
import { LoggerProxy } from 'n8n-workflow';

import type { NodeRun } from '../harness/engine';

export interface SummaryRow {
	/** Rows of one group are one line of the suite's table. */
	group: string;
	case: string;
	tried: number;
	passed: number;
	lost: number;
	duplicated: number;
	leaks: number;
}

export interface Leak {
	/** The test the leak was found in. */
	case: string;
	/** Where: output item, error, log line, … */
	where: string;
	what: 'token' | 'request header';
	excerpt: string;
}

const SUMMARY_DIR = join(tmpdir(), 'ninox-reliability');
/**
 * Headers must never travel inside errors: n8n stores and shows them. A server's text that quoted the header is
 * fine once its value is redacted ("Authorization: Bearer ***").
 */
const HEADER_PATTERN = /(authorization|bearer)(?![\s:"=]*(bearer\s+)?\*\*\*)/i;
const LOG_LEVELS = ['error', 'warn', 'info', 'debug'] as const;

function currentCase(): string {
	return expect.getState().currentTestName ?? '(outside a test)';
}

/**
 * Collects every string the nodes, n8n and the tests' runs produce and checks it for the secrets (tokens) of the
 * file, and every serialised error for request headers. Findings are attributed to the running test.
 */
export class LeakSink {
	readonly leaks: Leak[] = [];
	readonly stats = { runs: 0, items: 0, errors: 0, logLines: 0, strings: 0 };
	private readonly secrets = new Set<string>();
	private readonly rows: Array<Omit<SummaryRow, 'leaks'> & { test: string }> = [];

	constructor(readonly file: string) {}

	addSecret(secret: string): string {
		if (secret.length < 8) throw new Error('A secret to scan for must be distinctive (8 characters or more)');
		this.secrets.add(secret);
		return secret;
	}

	/**
	 * Routes n8n's logging into the sink: LoggerProxy (what WorkflowExecute and n8n-workflow log) and the DI
	 * Logger (what nodes log through `this.logger`). Call once, in beforeAll, before the first run.
	 */
	captureLogs(): void {
		const capture = Object.fromEntries(
			LOG_LEVELS.map((level) => [level, (message: unknown, meta?: unknown) => this.log(level, message, meta)]),
		) as Record<(typeof LOG_LEVELS)[number], (message: unknown, meta?: unknown) => void>;
		const logger = { ...capture, scoped: () => logger };
		Container.set(Logger, logger as unknown as Logger);
		LoggerProxy.init(capture as never);
	}

	log(level: string, message: unknown, meta?: unknown): void {
		this.stats.logLines++;
		this.scan(`log.${level}`, [message, meta], false);
	}

	/** Scans one node run: its output items, its error and the whole execution record n8n would store. */
	run<T extends NodeRun>(run: T): T {
		this.stats.runs++;
		this.items('output item', run.items);
		if (run.error) this.error(run.error);
		this.scan('execution data', run.run, false);
		return run;
	}

	items(where: string, items: INodeExecutionData[] | null | undefined): void {
		for (const item of items ?? []) {
			this.stats.items++;
			// An error item is a serialised error: it must not carry headers either.
			const isError = typeof item.json?.error === 'string';
			if (isError) this.stats.errors++;
			this.scan(isError ? 'error item' : where, item, isError);
		}
	}

	/** A thrown error (a failed run's or a poll's): message, description, stack, cause, context and JSON. */
	error(error: unknown): void {
		this.stats.errors++;
		this.scan('error', error, true);
		let json = '';
		try {
			json = JSON.stringify(error) ?? '';
		} catch {
			json = '';
		}
		this.scan('error JSON', json, true);
	}

	scan(where: string, value: unknown, isError: boolean): void {
		const seen = new WeakSet<object>();
		const visit = (node: unknown, depth: number): void => {
			if (node === null || node === undefined || depth > 40) return;
			if (typeof node === 'string') {
				this.check(where, node, isError);
				return;
			}
			if (typeof node !== 'object') return;
			if (seen.has(node)) return;
			seen.add(node);
			if (Buffer.isBuffer(node) || ArrayBuffer.isView(node)) return;
			if (node instanceof Error) {
				const described = node as Error & IDataObject;
				for (const key of ['message', 'stack', 'description', 'cause', 'context', 'errorResponse', 'messages']) {
					visit(described[key], depth + 1);
				}
			}
			for (const [key, child] of Object.entries(node)) {
				this.check(where, key, isError);
				visit(child, depth + 1);
			}
		};
		visit(value, 0);
	}

	private check(where: string, text: string, isError: boolean): void {
		this.stats.strings++;
		for (const secret of this.secrets) {
			const at = text.indexOf(secret);
			if (at >= 0) this.leaks.push({ case: currentCase(), where, what: 'token', excerpt: text.slice(Math.max(0, at - 40), at + 40) });
		}
		const header = isError ? HEADER_PATTERN.exec(text) : null;
		if (header) {
			this.leaks.push({
				case: currentCase(),
				where,
				what: 'request header',
				excerpt: text.slice(Math.max(0, header.index - 40), header.index + 40),
			});
		}
	}

	/** One line of the summary for the running test (its leaks are counted in the row); `case` labels it. */
	row(row: Omit<SummaryRow, 'leaks' | 'group'> & { group?: string }): void {
		this.rows.push({ ...row, group: row.group ?? row.case, test: currentCase() });
	}

	/** The rows, and one for the scan itself: every string seen, every leak (wherever it was found). */
	summary(): SummaryRow[] {
		const rows = this.rows.map(({ test, ...row }) => ({ ...row, leaks: this.leaks.filter((leak) => leak.case === test).length }));
		const scanned = this.stats.strings;
		return [
			...rows,
			{ group: SCAN_GROUP, case: `${this.file}: strings scanned`, tried: scanned, passed: scanned - this.leaks.length, lost: 0, duplicated: 0, leaks: this.leaks.length },
		];
	}

	/**
	 * Writes this file's rows to the OS temp dir and prints them; the file that completes a run of the whole suite
	 * prints the table of every file instead.
	 */
	publish(): void {
		mkdirSync(SUMMARY_DIR, { recursive: true });
		const own: StoredSummary = { file: this.file, run: RUN_ID, rows: this.summary() };
		const record = { ...own, at: new Date().toISOString(), leaks: this.leaks.length, stats: this.stats };
		writeFileSync(join(SUMMARY_DIR, `${this.file}.json`), JSON.stringify(record, null, 1));
		const thisRun = readSummaries().filter((summary) => summary.run === RUN_ID);
		const complete = suiteFiles().every((file) => thisRun.some((summary) => summary.file === file));
		const { runs, items, errors, logLines, strings } = this.stats;
		console.log(
			complete
				? `Reliability summary, all ${thisRun.length} files (rows per case in ${SUMMARY_DIR})\n${formatGroups(thisRun)}`
				: `Reliability summary, ${this.file} (${runs} runs, ${items} items, ${errors} errors, ${logLines} log lines, ${strings} strings scanned)\n${formatSummary([own])}`,
		);
	}
}

/**
 * One jest invocation: its workers share their parent's pid; a run in band is the jest process itself. So rows of
 * earlier runs are never mixed into the table.
 */
const RUN_ID = process.env.JEST_WORKER_ID !== undefined && process.ppid ? `ppid-${process.ppid}` : `pid-${process.pid}`;

/** The reliability test files, named as their sinks name them (the file name without .test.ts). */
function suiteFiles(): string[] {
	return readdirSync(__dirname)
		.filter((name) => name.endsWith('.test.ts'))
		.map((name) => name.slice(0, -'.test.ts'.length));
}

interface StoredSummary {
	file: string;
	run: string;
	rows: SummaryRow[];
}

/** Every file's latest rows, from the OS temp dir. */
function readSummaries(): StoredSummary[] {
	let names: string[] = [];
	try {
		names = readdirSync(SUMMARY_DIR).filter((name) => name.endsWith('.json')).sort();
	} catch {
		return [];
	}
	return names.map((name) => JSON.parse(readFileSync(join(SUMMARY_DIR, name), 'utf8')) as StoredSummary);
}

const SCAN_GROUP = 'secrets: token in outputs, errors, logs (strings scanned)';
const COUNTS = ['tried', 'passed', 'lost', 'duplicated', 'leaks'] as const;

function formatSummary(files: StoredSummary[]): string {
	const lines = files.flatMap(({ file, rows }) => rows.map((row) => [file, row.case, ...COUNTS.map((count) => row[count])]));
	return formatTable(['file', 'case', ...COUNTS], lines);
}

/** One line per group, summed over every file of the run. */
function formatGroups(files: StoredSummary[]): string {
	const groups = new Map<string, Record<(typeof COUNTS)[number], number>>();
	for (const row of files.flatMap((file) => file.rows)) {
		const sums = groups.get(row.group) ?? { tried: 0, passed: 0, lost: 0, duplicated: 0, leaks: 0 };
		for (const count of COUNTS) sums[count] += row[count];
		groups.set(row.group, sums);
	}
	// The scan covers every other row: it goes last.
	const ordered = [...groups].sort(([a], [b]) => Number(a === SCAN_GROUP) - Number(b === SCAN_GROUP));
	return formatTable(['case', ...COUNTS], ordered.map(([group, sums]) => [group, ...COUNTS.map((count) => sums[count])]));
}

function formatTable(header: readonly string[], rows: Array<Array<string | number>>): string {
	const lines = rows.map((row) => row.map((cell) => String(cell).replace(/\|/g, '/')));
	const widths = header.map((title, column) => Math.max(title.length, ...lines.map((line) => line[column].length)));
	const format = (cells: string[]) => '| ' + cells.map((cell, column) => cell.padEnd(widths[column])).join(' | ') + ' |';
	return [format([...header]), format(widths.map((width) => '-'.repeat(width))), ...lines.map(format)].join('\n');
}

/**
 * Registers, as the file's last test, the check that nothing leaked (so it runs after every other test), and the
 * summary in afterAll. The scan must have seen runs, errors and log lines, or it proves nothing.
 */
export function checkLeaksLast(sink: LeakSink, expectations: { errors?: boolean; logs?: boolean } = {}): void {
	it('leaks no token into outputs, errors or logs, and no request header into errors', () => {
		expect(sink.stats.runs).toBeGreaterThan(0);
		if (expectations.errors !== false) expect(sink.stats.errors).toBeGreaterThan(0);
		if (expectations.logs !== false) expect(sink.stats.logLines).toBeGreaterThan(0);
		expect(sink.leaks).toEqual([]);
	});
	afterAll(() => sink.publish());
}
