import type { IDataObject, ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { fieldsPath, modulePath, ninox4SchemaList } from '../transport';
import { selectedName, selectedTable } from './selected';

/** The label in the default language, else any. */
function labelOf(entry: IDataObject): string {
	const labels = (entry.labels ?? {}) as Record<string, unknown>;
	return String(labels[''] ?? Object.values(labels)[0] ?? '');
}

/** Listed as "Label (name)"; the search matches both. */
function toResults(entries: IDataObject[], filter?: string): INodeListSearchResult {
	const needle = filter?.trim().toLowerCase();
	return {
		results: entries
			.map((entry) => {
				const name = String(entry.name);
				const label = labelOf(entry);
				return { name: label && label !== name ? `${label} (${name})` : name, value: name };
			})
			.filter((entry) => !needle || entry.name.toLowerCase().includes(needle))
			.sort((a, b) => a.name.localeCompare(b.name)),
	};
}

export async function searchModules(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	return toResults(await ninox4SchemaList<IDataObject>(this, { path: ['modules'] }), filter);
}

export async function searchTables(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const moduleName = selectedName(this, 'module');
	if (!moduleName) return { results: [] };
	return toResults(await ninox4SchemaList<IDataObject>(this, { path: [...modulePath(moduleName), 'tables'] }), filter);
}

export async function searchFields(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const ref = selectedTable(this);
	if (!ref) return { results: [] };
	return toResults(await ninox4SchemaList<IDataObject>(this, { path: fieldsPath(ref.moduleName, ref.tableName) }), filter);
}
