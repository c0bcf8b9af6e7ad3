import { defineResource } from '../../../Ninox/actions/resource';
import * as create from './create.operation';
import * as deleteRecord from './delete.operation';
import * as deleteMany from './deleteMany.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as importCsv from './importCsv.operation';
import * as update from './update.operation';
import * as upsert from './upsert.operation';

export const recordResource = defineResource(
	'record',
	[
		{ name: 'Create', value: 'create', description: 'Create records, many per request', action: 'Create records' },
		{
			name: 'Create or Update',
			value: 'upsert',
			description: 'Create a new record, or update the current one if it already exists (upsert)',
			action: 'Create or update records',
		},
		{
			name: 'Delete',
			value: 'delete',
			description: 'Delete the record each input item names, many per request',
			action: 'Delete records',
		},
		{
			name: 'Delete Many',
			value: 'deleteMany',
			description: 'Delete a list of records given by their IDs, many per request',
			action: 'Delete many records',
		},
		{ name: 'Get', value: 'get', description: 'Get a record by ID', action: 'Get a record' },
		{ name: 'Get Many', value: 'getAll', description: 'List the records of a table', action: 'Get many records' },
		{
			name: 'Import CSV',
			value: 'importCsv',
			description: 'Append, update or upsert records from a CSV file',
			action: 'Import records from a CSV file',
		},
		{
			name: 'Update',
			value: 'update',
			description: 'Change fields of records by ID (other fields keep their values)',
			action: 'Update records',
		},
	],
	{ create, delete: deleteRecord, deleteMany, get, getAll, importCsv, update, upsert },
);
