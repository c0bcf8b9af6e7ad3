import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { ninoxRequest, recordPath } from '../../transport';
import { recordId, recordIdParameter } from '../common';
import { readTableRef, recordNotFound, tableParameters } from './shared';

export const description: INodeProperties[] = [...tableParameters, recordIdParameter];

/** `DELETE …/records/{rid}` (Ninox answers `{}`); a missing record is an error naming it. */
export async function executeItem(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const ref = readTableRef.call(this, itemIndex);
	const id = recordId.call(this, itemIndex);
	try {
		await ninoxRequest(this, {
			method: 'DELETE',
			path: recordPath(ref.teamId, ref.databaseId, ref.tableId, id),
			itemIndex,
		});
	} catch (error) {
		throw recordNotFound.call(this, error, ref, [id], itemIndex);
	}
	return { deleted: true, id };
}
