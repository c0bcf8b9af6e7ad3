/**
 * `getNodeParameter` for one item, without n8n's per-item cost where the answer cannot depend on the item.
 *
 * n8n evaluates a parameter afresh for every item, building a workflow data proxy (and luxon's `$now`) each time:
 * about 0.1–0.2 ms, which was most of the time of a batched write of 10 000 items. So:
 * - a parameter that holds no expression is read once per execution;
 * - `{{ $json.id }}` (also `$json["id"]`, `$json.a.b`), the usual Record ID, is taken from the item itself when it
 *   is a string, number or boolean — exactly what n8n would compute;
 * - anything else is evaluated by n8n, per item, as always.
 * Values read once are shared between items: callers must not change them.
 */
import type { IExecuteFunctions, IGetNodeParameterOptions } from 'n8n-workflow';

type Reader = (itemIndex: number) => unknown;
type ReadOptions = Pick<IGetNodeParameterOptions, 'extractValue'>;

/** Per execution, the readers by parameter name: as read, and with the locator's value extracted. */
const readersByExecution = new WeakMap<IExecuteFunctions, { plain: Map<string, Reader>; extracted: Map<string, Reader> }>();

export function itemParameter(
	context: IExecuteFunctions,
	name: string,
	itemIndex: number,
	fallback?: unknown,
	options: ReadOptions = {},
): unknown {
	let execution = readersByExecution.get(context);
	if (!execution) readersByExecution.set(context, (execution = { plain: new Map(), extracted: new Map() }));
	const readers = options.extractValue ? execution.extracted : execution.plain;
	let read = readers.get(name);
	if (!read) {
		read = readerFor(context, name, fallback, options);
		readers.set(name, read);
	}
	return read(itemIndex);
}

function readerFor(context: IExecuteFunctions, name: string, fallback: unknown, options: ReadOptions): Reader {
	const evaluate: Reader = (itemIndex) => context.getNodeParameter(name, itemIndex, fallback, options);
	let raw: unknown;
	try {
		raw = context.getNodeParameter(name, 0, fallback, { rawExpressions: true });
	} catch {
		return evaluate;
	}

	if (!containsExpression(raw)) {
		let once: { value: unknown } | undefined;
		// An error is not kept: every item then fails with its own index, as it would without this.
		return (itemIndex) => (once ??= { value: evaluate(itemIndex) }).value;
	}

	const path = options.extractValue ? undefined : jsonPathOf(raw);
	if (path) {
		const items = context.getInputData();
		return (itemIndex) => {
			let value: unknown = items[itemIndex]?.json;
			for (const key of path) value = isObject(value) ? value[key] : undefined;
			return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
				? value
				: evaluate(itemIndex);
		};
	}
	return evaluate;
}

function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function containsExpression(value: unknown): boolean {
	if (typeof value === 'string') return value.startsWith('=');
	if (Array.isArray(value)) return value.some(containsExpression);
	if (isObject(value)) return Object.values(value).some(containsExpression);
	return false;
}

const JSON_ACCESS = /^=\{\{\s*\$json((?:\s*\.\s*[A-Za-z_$][\w$]*|\s*\[\s*(?:"[^"\\]*"|'[^'\\]*')\s*\])+)\s*\}\}$/;
const JSON_STEP = /\.\s*([A-Za-z_$][\w$]*)|\[\s*(?:"([^"\\]*)"|'([^'\\]*)')\s*\]/g;

/** `={{ $json.a["b c"] }}` → ['a', 'b c']; undefined for any other expression. */
function jsonPathOf(raw: unknown): string[] | undefined {
	if (typeof raw !== 'string') return undefined;
	const access = JSON_ACCESS.exec(raw);
	if (!access) return undefined;
	return [...access[1].matchAll(JSON_STEP)].map((step) => step[1] ?? step[2] ?? step[3]);
}
