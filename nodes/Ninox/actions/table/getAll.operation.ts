import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { getTables } from '../../helpers/schema';
import { databaseIds, databaseLocator, limitParameter, readLimit, returnAllParameter, teamLocator } from '../common';

export const description: INodeProperties[] = [teamLocator, databaseLocator, returnAllParameter, limitParameter];

/** One item per table, with its fields (Ninox leaves formula fields out here; Database → Get Schema has them). */
export async function executeItem(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const [team, database] = databaseIds.call(this, itemIndex);
	const tables = (await getTables(this, team, database)) as unknown as IDataObject[];
	// Ninox answers the whole list at once; the limit only trims it.
	const limit = readLimit.call(this, itemIndex);
	return limit === undefined ? tables : tables.slice(0, limit);
}
