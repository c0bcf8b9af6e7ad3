import { defineResource } from '../../../Ninox/actions/resource';
import * as get from './get.operation';
import * as getAll from './getAll.operation';

export const viewResource = defineResource(
	'view',
	[
		{ name: 'Get', value: 'get', description: 'Get a view with its columns', action: 'Get a view' },
		{ name: 'Get Many', value: 'getAll', description: 'List the views of a table', action: 'Get many views' },
	],
	{ get, getAll },
);
