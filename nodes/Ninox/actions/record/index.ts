import { defineResource } from '../resource';
import * as create from './create.operation';
import * as deleteRecord from './delete.operation';
import * as deleteMany from './deleteMany.operation';
import * as find from './find.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as update from './update.operation';
import * as upsert from './upsert.operation';

export const record = defineResource(
	'record',
	[
		{
			name: 'Create',
			value: 'create',
			description: 'Create records, many per request',
			action: 'Create records',
		},
		{ name: 'Delete', value: 'delete', description: 'Delete a record by ID', action: 'Delete a record' },
		{
			name: 'Delete Many',
			value: 'deleteMany',
			description: 'Delete the records of all input items, many per request',
			action: 'Delete many records',
		},
		{
			name: 'Find',
			value: 'find',
			description: 'Find records by field values',
			action: 'Find records by field values',
		},
		{ name: 'Get', value: 'get', description: 'Get a record by ID', action: 'Get a record' },
		{ name: 'Get Many', value: 'getAll', description: 'List the records of a table', action: 'Get many records' },
		{
			name: 'Update',
			value: 'update',
			description: 'Change fields of records by ID (other fields keep their values)',
			action: 'Update records',
		},
		{
			name: 'Create or Update',
			value: 'upsert',
			description: 'Create a new record, or update the current one if it already exists (upsert)',
			action: 'Create or update records',
		},
	],
	{ create, delete: deleteRecord, deleteMany, find, get, getAll, update, upsert },
);
