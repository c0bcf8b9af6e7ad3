import type { ILoadOptionsFunctions } from 'n8n-workflow';

/** A locator's id as chosen in the editor so far (the node's saved value when the editor sends none); '' if unset. */
export function currentValue(context: ILoadOptionsFunctions, name: string): string {
	const value = (context.getCurrentNodeParameter(name, { extractValue: true }) ??
		context.getNodeParameter(name, '', { extractValue: true })) as unknown;
	return String((typeof value === 'object' && value !== null ? (value as { value?: unknown }).value : value) ?? '').trim();
}
