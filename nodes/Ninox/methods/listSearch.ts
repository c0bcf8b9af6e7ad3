import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { webAppOrigin } from '../helpers/webApp';
import { ninoxBaseUrl } from '../transport/baseUrl';
import { databasePath, ninoxRequest } from '../transport';
import { selectedLocators } from './selectedLocators';

interface Named {
	id: string;
	name: string;
}

/** Entries by name, each showing its ID and linking to it in the Ninox web app (`path` under `…/#/`). */
async function toResults(
	context: ILoadOptionsFunctions,
	entries: Named[],
	path: (entry: Named) => string,
	filter?: string,
): Promise<INodeListSearchResult> {
	const needle = filter?.trim().toLowerCase();
	const app = webAppOrigin(ninoxBaseUrl(await context.getCredentials('ninoxTokenApi')));
	return {
		results: entries
			.filter((entry) => !needle || `${entry.name} ${entry.id}`.toLowerCase().includes(needle))
			.sort((a, b) => a.name.localeCompare(b.name))
			.map((entry) => ({ name: `${entry.name} (${entry.id})`, value: entry.id, url: `${app}/#/${path(entry)}` })),
	};
}

const segment = encodeURIComponent;

export async function searchTeams(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const teams = await ninoxRequest<Named[]>(this, { method: 'GET', path: ['teams'] });
	return await toResults(this, teams, (team) => `teams/${segment(team.id)}`, filter);
}

export async function searchDatabases(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const { team } = selectedLocators(this, ['team']);
	if (!team) return { results: [] };
	const databases = await ninoxRequest<Named[]>(this, { method: 'GET', path: ['teams', team, 'databases'] });
	return await toResults(this, databases, (database) => `teams/${segment(team)}/database/${segment(database.id)}`, filter);
}

export async function searchTables(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const { team, database } = selectedLocators(this, ['team', 'database']);
	if (!team || !database) return { results: [] };
	const tables = await ninoxRequest<Named[]>(this, { method: 'GET', path: [...databasePath(team, database), 'tables'] });
	const base = `teams/${segment(team)}/database/${segment(database)}/module/`;
	return await toResults(this, tables, (table) => base + segment(table.id), filter);
}
