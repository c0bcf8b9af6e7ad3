import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { getTable } from '../../helpers/schema';
import { databaseLocator, tableIds, tableLocator, teamLocator } from '../common';

export const description: INodeProperties[] = [teamLocator, databaseLocator, tableLocator];

/** The table with its fields: ids, names, types and the choices of choice fields. */
export async function executeItem(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const [team, database, table] = tableIds.call(this, itemIndex);
	return (await getTable(this, team, database, table, itemIndex)) as unknown as IDataObject;
}
