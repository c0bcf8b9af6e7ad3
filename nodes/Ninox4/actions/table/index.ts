import { defineResource } from '../../../Ninox/actions/resource';
import * as create from './create.operation';
import * as deleteTable from './delete.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as update from './update.operation';

export const tableResource = defineResource(
	'table',
	[
		{ name: 'Create', value: 'create', description: 'Create a table in a module', action: 'Create a table' },
		{
			name: 'Delete',
			value: 'delete',
			description: 'Delete a table with all its fields and records (cannot be undone)',
			action: 'Delete a table',
		},
		{ name: 'Get', value: 'get', description: 'Get a table with its fields', action: 'Get a table' },
		{ name: 'Get Many', value: 'getAll', description: 'List the tables of a module', action: 'Get many tables' },
		{ name: 'Update', value: 'update', description: 'Rename a table or change its settings', action: 'Update a table' },
	],
	{ create, delete: deleteTable, get, getAll, update },
);
