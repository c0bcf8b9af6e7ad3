/** Parameters and readers shared by many operations: the team / database / table locators and ids. */
import type { IDataObject, IExecuteFunctions, INode, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { itemParameter } from '../helpers/parameters';

// Ninox web app URLs: https://app.ninox.com/#/teams/{team}/database/{db}/module/{table}/view/{view}
// (Private Cloud and On-Premise have their own host; the /module and /view parts may be missing.)
// n8n anchors validation regexes at both ends, hence the `.*` added where they are used for validation.
const TEAM_URL = String.raw`^https?://[^/]+/?#?/teams/([^/?#]+)`;
const DATABASE_URL = String.raw`^https?://[^/]+/?#?/teams/[^/?#]+/database/([^/?#]+)`;
const TABLE_URL = String.raw`^https?://[^/]+/?#?/teams/[^/?#]+/database/[^/?#]+/module/([^/?#]+)`;

const URL_EXAMPLES: Record<LocatorName, string> = {
	team: 'https://app.ninox.com/#/teams/mnPLY6DMsvq9wz4id',
	database: 'https://app.ninox.com/#/teams/mnPLY6DMsvq9wz4id/database/gt5k36w957yt',
	table: 'https://app.ninox.com/#/teams/mnPLY6DMsvq9wz4id/database/gt5k36w957yt/module/A',
};

/** The URL rule, said where a URL is pasted. */
const URL_HINT = 'The URL is used whole: the team and database it names must be the ones chosen in the other fields';

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
			hint: URL_HINT,
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
			hint: URL_HINT,
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
			hint: URL_HINT,
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

export type LocatorName = 'team' | 'database' | 'table';

const LOCATOR_LABELS: Record<LocatorName, string> = { team: 'Team', database: 'Database', table: 'Table' };

const NINOX_URL = /^https?:\/\/[^/]+\/?#?\/teams\/([^/?#]+)(?:\/database\/([^/?#]+)(?:\/module\/([^/?#]+))?)?/;

/** What a Ninox web app URL names: its team and, where the URL goes that far, its database and table. */
export function parseNinoxUrl(url: string): Partial<Record<LocatorName, string>> {
	const match = NINOX_URL.exec(url.trim());
	if (!match) return {};
	const [, team, database, table] = match;
	return { team, ...(database ? { database } : {}), ...(table ? { table } : {}) };
}

/**
 * The ids the locators `names` select ('' where none is chosen yet), read unextracted by `read`. The rule for URLs:
 * a URL is used whole, so the team and database it names must be the ones the other locators select; otherwise
 * (and for a URL that stops before its own part, e.g. half typed) this throws before any request is made.
 */
export function selectedIds<N extends LocatorName>(
	// the node is read only for an error: n8n copies it on every getNode(), and this runs once per item
	context: { getNode(): INode },
	names: readonly N[],
	read: (name: N) => unknown,
	itemIndex?: number,
): Record<N, string> {
	const ids = {} as Record<N, string>;
	const urls: Array<{ name: N; named: Partial<Record<LocatorName, string>> }> = [];
	for (const name of names) {
		const raw = read(name);
		const locator = typeof raw === 'object' && raw !== null ? (raw as { mode?: unknown; value?: unknown }) : { value: raw };
		const value = String(locator.value ?? '').trim();
		if (locator.mode !== 'url' || value === '') {
			ids[name] = value;
			continue;
		}
		const named = parseNinoxUrl(value);
		if (!named[name]) {
			throw new NodeOperationError(context.getNode(), `The ${LOCATOR_LABELS[name]} URL is not the address of a Ninox ${name}: "${value}"`, {
				itemIndex,
				description: `Paste the whole address of the ${name} from the Ninox web app, e.g. ${URL_EXAMPLES[name]}`,
			});
		}
		ids[name] = named[name];
		urls.push({ name, named });
	}
	for (const { name, named } of urls) {
		for (const other of names) {
			const id = ids[other];
			if (other === name || named[other] === undefined || id === '' || named[other] === id) continue;
			throw new NodeOperationError(
				context.getNode(),
				`The ${LOCATOR_LABELS[name]} URL names ${other} ${named[other]}, but the ${LOCATOR_LABELS[other]} field is ${id}`,
				{
					itemIndex,
					description: `A pasted URL must name the same team and database as the other fields. Set ${LOCATOR_LABELS[other]} to ${named[other]}, or paste the URL of a ${name} in ${other} ${id}.`,
				},
			);
		}
	}
	return ids;
}

/** `selectedIds` for a run: every locator must be chosen. */
export function locatorIds<N extends LocatorName>(
	context: { getNode(): INode },
	names: readonly N[],
	read: (name: N) => unknown,
	itemIndex?: number,
): Record<N, string> {
	const ids = selectedIds(context, names, read, itemIndex);
	for (const name of names) idFromLocator(context, name, ids[name], itemIndex);
	return ids;
}

function itemLocatorIds<N extends LocatorName>(this: IExecuteFunctions, names: readonly N[], itemIndex: number) {
	return locatorIds(this, names, (name) => itemParameter(this, name, itemIndex, ''), itemIndex);
}

export function teamId(this: IExecuteFunctions, itemIndex: number): string {
	return itemLocatorIds.call(this, ['team'], itemIndex).team;
}

export function databaseIds(this: IExecuteFunctions, itemIndex: number): [string, string] {
	const ids = itemLocatorIds.call(this, ['team', 'database'], itemIndex);
	return [ids.team, ids.database];
}

export function tableIds(this: IExecuteFunctions, itemIndex: number): [string, string, string] {
	const ids = itemLocatorIds.call(this, ['team', 'database', 'table'], itemIndex);
	return [ids.team, ids.database, ids.table];
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

/**
 * An operation's Options collection, its options in alphabetical order. What each option's description shows as
 * its default is what the node does while the user has not added it: `readOptions` fills it in from here.
 */
export function optionsCollection(options: INodeProperties[]): INodeProperties {
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [...options].sort((a, b) => a.displayName.localeCompare(b.displayName)),
	};
}

/** The item's Options, each one the user did not add at its default. */
export function readOptions<T extends object>(
	context: IExecuteFunctions,
	itemIndex: number,
	collection: INodeProperties,
): T {
	const chosen = context.getNodeParameter(collection.name, itemIndex, {}) as IDataObject;
	const defaults = Object.fromEntries(
		((collection.options ?? []) as INodeProperties[]).map((option) => [option.name, option.default]),
	);
	return { ...defaults, ...chosen } as T;
}
