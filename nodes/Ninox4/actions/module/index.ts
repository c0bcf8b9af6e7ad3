import { defineResource } from '../../../Ninox/actions/resource';
import * as create from './create.operation';
import * as deleteModule from './delete.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as update from './update.operation';

export const moduleResource = defineResource(
	'module',
	[
		{ name: 'Create', value: 'create', description: 'Create a module', action: 'Create a module' },
		{
			name: 'Delete',
			value: 'delete',
			description: 'Delete a module with all its tables and records (cannot be undone)',
			action: 'Delete a module',
		},
		{ name: 'Get', value: 'get', description: 'Get a module with its tables', action: 'Get a module' },
		{ name: 'Get Many', value: 'getAll', description: 'List the modules of the workspace', action: 'Get many modules' },
		{ name: 'Update', value: 'update', description: 'Rename a module or change its settings', action: 'Update a module' },
	],
	{ create, delete: deleteModule, get, getAll, update },
);
