import { defineResource } from '../resource';
import * as getDatabaseChanges from './getDatabaseChanges.operation';
import * as getRecordChanges from './getRecordChanges.operation';
import * as getTableChanges from './getTableChanges.operation';

export const change = defineResource(
	'change',
	[
		{
			name: 'Get Database Changes',
			value: 'getDatabaseChanges',
			description: 'Get the records of a database changed since a sequence number',
			action: 'Get database changes',
		},
		{
			name: 'Get Record Changes',
			value: 'getRecordChanges',
			description: 'Get the changes of one record since a sequence number',
			action: 'Get record changes',
		},
		{
			name: 'Get Table Changes',
			value: 'getTableChanges',
			description: 'Get the records of a table changed since a sequence number',
			action: 'Get table changes',
		},
	],
	{ getDatabaseChanges, getRecordChanges, getTableChanges },
);
