import type { ILoadOptionsFunctions } from 'n8n-workflow';

import type { TableRef } from '../helpers/schema';

/** A locator's name as chosen in the editor so far (the node's saved value when the editor sends none); '' if unset. */
export function selectedName(context: ILoadOptionsFunctions, name: 'module' | 'table'): string {
	const value = (context.getCurrentNodeParameter(name, { extractValue: true }) ??
		context.getNodeParameter(name, '', { extractValue: true })) as unknown;
	return String((typeof value === 'object' && value !== null ? (value as { value?: unknown }).value : value) ?? '').trim();
}

/** The module and table chosen so far; undefined until both are. */
export function selectedTable(context: ILoadOptionsFunctions): TableRef | undefined {
	const moduleName = selectedName(context, 'module');
	const tableName = selectedName(context, 'table');
	return moduleName && tableName ? { moduleName, tableName } : undefined;
}
