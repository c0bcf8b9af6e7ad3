import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { change } from './change';
import { database } from './database';
import { file } from './file';
import { record } from './record';
import type { NinoxResource } from './resource';
import { script } from './script';
import { table } from './table';
import { team } from './team';

/** Every resource of the node, keyed by its parameter value. */
export const resources: Record<string, NinoxResource> = { change, database, file, record, script, table, team };

export const resourceSelector: INodeProperties = {
	displayName: 'Resource',
	name: 'resource',
	type: 'options',
	noDataExpression: true,
	options: [
		{ name: 'Change', value: 'change', description: 'What changed since a sequence number' },
		{ name: 'Database', value: 'database' },
		{ name: 'File', value: 'file', description: 'Files attached to a record' },
		{ name: 'Record', value: 'record' },
		{ name: 'Script', value: 'script', description: 'Run Ninox script (read-only query or writable exec)' },
		{ name: 'Table', value: 'table' },
		{ name: 'Team', value: 'team', description: 'A workspace' },
	],
	default: 'record',
};

/** "Find: Record" for every operation: the canvas subtitle, with the names the editor shows (the Ninox 4 node's too). */
export function subtitleOf(selector: INodeProperties, all: Record<string, NinoxResource>): string {
	const names: Record<string, string> = {};
	for (const { name: resourceName, value: resource } of selector.options as INodePropertyOptions[]) {
		const operations = (all[resource as string].description[0].options ?? []) as INodePropertyOptions[];
		for (const { name, value } of operations) names[`${resource}:${value}`] = `${name}: ${resourceName}`;
	}
	return `={{ ${JSON.stringify(names)}[$parameter["resource"] + ":" + $parameter["operation"]] }}`;
}

export const subtitle = subtitleOf(resourceSelector, resources);
