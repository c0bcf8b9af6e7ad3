import { defineResource } from '../../../Ninox/actions/resource';
import * as create from './create.operation';
import * as createMany from './createMany.operation';
import * as deleteField from './delete.operation';
import * as deleteMany from './deleteMany.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as update from './update.operation';

export const fieldResource = defineResource(
	'field',
	[
		{ name: 'Create', value: 'create', description: 'Add a field to a table', action: 'Create a field' },
		{
			name: 'Create Many',
			value: 'createMany',
			description: 'Add the fields of all input items to their table in one transaction',
			action: 'Create many fields',
		},
		{
			name: 'Delete',
			value: 'delete',
			description: "Delete a field and every record's value in it (cannot be undone)",
			action: 'Delete a field',
		},
		{
			name: 'Delete Many',
			value: 'deleteMany',
			description: 'Delete the fields of all input items in one transaction per table (cannot be undone)',
			action: 'Delete many fields',
		},
		{ name: 'Get', value: 'get', description: 'Get a field with its type and settings', action: 'Get a field' },
		{ name: 'Get Many', value: 'getAll', description: 'List the fields of a table', action: 'Get many fields' },
		{
			name: 'Update',
			value: 'update',
			description: 'Rename a field or change its label, choices, expression or settings',
			action: 'Update a field',
		},
	],
	{ create, createMany, delete: deleteField, deleteMany, get, getAll, update },
);
