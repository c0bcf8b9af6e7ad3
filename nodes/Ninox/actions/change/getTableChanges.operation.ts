import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { getTable } from '../../helpers/schema';
import { tablePath } from '../../transport';
import { databaseLocator, tableIds, tableLocator, teamLocator } from '../common';
import { changeParameters, readChanges } from './feed';

export const description: INodeProperties[] = [teamLocator, databaseLocator, tableLocator, ...changeParameters];

/** GET …/tables/{tid}/changes?sinceSq=n */
export async function executeItem(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const [team, database, table] = tableIds.call(this, itemIndex);
	return await readChanges.call(this, itemIndex, {
		path: tablePath(team, database, table),
		tableId: table,
		loadTables: async () => [await getTable(this, team, database, table, itemIndex)],
	});
}
