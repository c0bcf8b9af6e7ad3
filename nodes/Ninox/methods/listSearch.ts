import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { databasePath, ninoxRequest } from '../transport';
import { currentValue } from './currentValue';

interface Named {
	id: string;
	name: string;
}

function toResults(entries: Named[], filter?: string): INodeListSearchResult {
	const needle = filter?.trim().toLowerCase();
	return {
		results: entries
			.filter((entry) => !needle || `${entry.name} ${entry.id}`.toLowerCase().includes(needle))
			.sort((a, b) => a.name.localeCompare(b.name))
			.map((entry) => ({ name: entry.name, value: entry.id })),
	};
}

export async function searchTeams(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	return toResults(await ninoxRequest<Named[]>(this, { method: 'GET', path: ['teams'] }), filter);
}

export async function searchDatabases(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const team = currentValue(this, 'team');
	if (!team) return { results: [] };
	return toResults(
		await ninoxRequest<Named[]>(this, { method: 'GET', path: ['teams', team, 'databases'] }),
		filter,
	);
}

export async function searchTables(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const team = currentValue(this, 'team');
	const database = currentValue(this, 'database');
	if (!team || !database) return { results: [] };
	const tables = await ninoxRequest<Named[]>(this, { method: 'GET', path: [...databasePath(team, database), 'tables'] });
	return toResults(tables, filter);
}
