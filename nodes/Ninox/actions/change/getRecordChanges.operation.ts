import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { getTable } from '../../helpers/schema';
import { recordPath } from '../../transport';
import { databaseLocator, recordId, recordIdParameter, tableIds, tableLocator, teamLocator } from '../common';
import { changeParameters, readChanges } from './feed';

export const description: INodeProperties[] = [
	teamLocator,
	databaseLocator,
	tableLocator,
	recordIdParameter,
	...changeParameters,
];

/** GET …/tables/{tid}/records/{rid}/changes?sinceSq=n */
export async function executeItem(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const [team, database, table] = tableIds.call(this, itemIndex);
	const record = recordId.call(this, itemIndex);
	return await readChanges.call(this, itemIndex, {
		path: recordPath(team, database, table, record),
		tableId: table,
		loadTables: async () => [await getTable(this, team, database, table, itemIndex)],
	});
}
