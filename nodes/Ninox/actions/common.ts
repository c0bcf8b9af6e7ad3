/** Parameters and readers shared by many operations: the team / database / table locators and ids. */
import type { IExecuteFunctions, INode, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { itemParameter } from '../helpers/parameters';

// Ninox web app URLs: https://app.ninox.com/#/teams/{team}/database/{db}/module/{table}/view/{view}
// (Private Cloud and On-Premise have their own host; the /module and /view parts may be missing.)
// n8n anchors validation regexes at both ends, hence the `.*` added where they are used for validation.
const TEAM_URL = String.raw`^https?://[^/]+/?#?/teams/([^/?#]+)`;
const DATABASE_URL = String.raw`^https?://[^/]+/?#?/teams/[^/?#]+/database/([^/?#]+)`;
const TABLE_URL = String.raw`^https?://[^/]+/?#?/teams/[^/?#]+/database/[^/?#]+/module/([^/?#]+)`;

export const teamLocator: INodeProperties = {
	displayName: 'Team',
	name: 'team',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description: 'The Ninox team (workspace)',
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			typeOptions: { searchListMethod: 'searchTeams', searchable: true },
		},
		{
			displayName: 'By URL',
			name: 'url',
			type: 'string',
			placeholder: 'https://app.ninox.com/#/teams/mnPLY6DMsvq9wz4id/database/gt5k36w957yt',
			validation: [{ type: 'regex', properties: { regex: TEAM_URL + '.*', errorMessage: 'Not a Ninox team URL' } }],
			extractValue: { type: 'regex', regex: TEAM_URL },
		},
		{
			displayName: 'ID',
			name: 'id',
			type: 'string',
			placeholder: 'mnPLY6DMsvq9wz4id',
		},
	],
};

export const databaseLocator: INodeProperties = {
	displayName: 'Database',
	name: 'database',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description: 'The Ninox database',
	typeOptions: { loadOptionsDependsOn: ['team.value'] },
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			typeOptions: { searchListMethod: 'searchDatabases', searchable: true },
		},
		{
			displayName: 'By URL',
			name: 'url',
			type: 'string',
			placeholder: 'https://app.ninox.com/#/teams/mnPLY6DMsvq9wz4id/database/gt5k36w957yt',
			validation: [
				{ type: 'regex', properties: { regex: DATABASE_URL + '.*', errorMessage: 'Not a Ninox database URL' } },
			],
			extractValue: { type: 'regex', regex: DATABASE_URL },
		},
		{
			displayName: 'ID',
			name: 'id',
			type: 'string',
			placeholder: 'gt5k36w957yt',
		},
	],
};

export const tableLocator: INodeProperties = {
	displayName: 'Table',
	name: 'table',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description: 'The Ninox table',
	typeOptions: { loadOptionsDependsOn: ['team.value', 'database.value'] },
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			typeOptions: { searchListMethod: 'searchTables', searchable: true },
		},
		{
			displayName: 'By URL',
			name: 'url',
			type: 'string',
			placeholder: 'https://app.ninox.com/#/teams/mnPLY6DMsvq9wz4id/database/gt5k36w957yt/module/A',
			validation: [{ type: 'regex', properties: { regex: TABLE_URL + '.*', errorMessage: 'Not a Ninox table URL' } }],
			extractValue: { type: 'regex', regex: TABLE_URL },
		},
		{
			displayName: 'ID',
			name: 'id',
			type: 'string',
			placeholder: 'A',
		},
	],
};

/** The id in a locator's value (already extracted from a URL where the user pasted one); an error if empty. */
export function idFromLocator(
	context: { getNode(): INode },
	name: string,
	value: unknown,
	itemIndex?: number,
): string {
	const id = String((typeof value === 'object' && value !== null ? (value as { value?: unknown }).value : value) ?? '').trim();
	if (!id) {
		throw new NodeOperationError(context.getNode(), `No ${name} selected`, {
			itemIndex,
			description: `Choose a ${name} from the list, or enter its ID or URL.`,
		});
	}
	return id;
}

/** Reads a locator's id for one item. */
export function locatorValue(this: IExecuteFunctions, name: string, itemIndex: number): string {
	const value = itemParameter(this, name, itemIndex, '', { extractValue: true });
	return idFromLocator(this, name, value, itemIndex);
}

export function teamId(this: IExecuteFunctions, itemIndex: number): string {
	return locatorValue.call(this, 'team', itemIndex);
}

export function databaseIds(this: IExecuteFunctions, itemIndex: number): [string, string] {
	return [locatorValue.call(this, 'team', itemIndex), locatorValue.call(this, 'database', itemIndex)];
}

export function tableIds(this: IExecuteFunctions, itemIndex: number): [string, string, string] {
	return [...databaseIds.call(this, itemIndex), locatorValue.call(this, 'table', itemIndex)];
}

export const recordIdParameter: INodeProperties = {
	displayName: 'Record ID',
	name: 'recordId',
	type: 'string',
	default: '',
	required: true,
	placeholder: '42',
	description: 'The record number (an integer from 1; Ninox references like "A42" are accepted too)',
};

/** A Ninox record id: a positive integer. Accepts "42", 42 and Ninox's "A42" references. */
export function parseRecordId(this: IExecuteFunctions, raw: unknown, itemIndex: number, field = 'Record ID'): number {
	const text = String(raw ?? '').trim();
	const match = /^(?:[A-Z]{1,3})?(\d+)$/.exec(text);
	const id = match ? Number(match[1]) : NaN;
	if (!Number.isSafeInteger(id) || id < 1) {
		throw new NodeOperationError(
			this.getNode(),
			text === '' ? `${field} is empty` : `${field} "${text}" is not a record ID`,
			{ itemIndex, description: 'A Ninox record ID is a whole number from 1, e.g. 42 (or a reference like A42).' },
		);
	}
	return id;
}

export function recordId(this: IExecuteFunctions, itemIndex: number): number {
	return parseRecordId.call(this, itemParameter(this, 'recordId', itemIndex), itemIndex);
}

export const returnAllParameter: INodeProperties = {
	displayName: 'Return All',
	name: 'returnAll',
	type: 'boolean',
	default: false,
	description: 'Whether to return all results or only up to a given limit',
};

export const limitParameter: INodeProperties = {
	displayName: 'Limit',
	name: 'limit',
	type: 'number',
	default: 50,
	typeOptions: { minValue: 1 },
	displayOptions: { show: { returnAll: [false] } },
	description: 'Max number of results to return',
};

/** `undefined` when the user wants everything. */
export function readLimit(this: IExecuteFunctions, itemIndex: number): number | undefined {
	return this.getNodeParameter('returnAll', itemIndex, false)
		? undefined
		: (this.getNodeParameter('limit', itemIndex, 50) as number);
}
