import { defineResource } from '../../../Ninox/actions/resource';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as print from './print.operation';

export const reportResource = defineResource(
	'report',
	[
		{ name: 'Get', value: 'get', description: 'Get a report', action: 'Get a report' },
		{ name: 'Get Many', value: 'getAll', description: 'List the reports of a table', action: 'Get many reports' },
		{ name: 'Print', value: 'print', description: 'Print a report for records, as a PDF file', action: 'Print a report' },
	],
	{ get, getAll, print },
);
