import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { ninox4List, tablePath } from '../../transport';
import { REPORTS_SEGMENT } from '../../transport/facts';
import { limitParameter, readLimit, readTableRef, returnAllParameter, tableParameters } from '../common';

export const description: INodeProperties[] = [...tableParameters, returnAllParameter, limitParameter];

/** `GET …/{t}/reports` (*ext.*). */
export async function executeItem(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const { moduleName, tableName } = readTableRef.call(this, itemIndex);
	return await ninox4List<IDataObject>(
		this,
		{ path: [...tablePath(moduleName, tableName), REPORTS_SEGMENT], itemIndex },
		readLimit.call(this, itemIndex),
	);
}
