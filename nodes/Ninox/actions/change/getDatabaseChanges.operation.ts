import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { getTables } from '../../helpers/schema';
import { databasePath } from '../../transport';
import { databaseIds, databaseLocator, teamLocator } from '../common';
import { changeParameters, readChanges } from './feed';

export const description: INodeProperties[] = [teamLocator, databaseLocator, ...changeParameters];

/** GET …/databases/{db}/changes?sinceSq=n */
export async function executeItem(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const [team, database] = databaseIds.call(this, itemIndex);
	return await readChanges.call(this, itemIndex, {
		path: databasePath(team, database),
		loadTables: async () => await getTables(this, team, database),
	});
}
