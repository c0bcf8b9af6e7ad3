import { defineResource } from '../resource';
import * as deleteFile from './delete.operation';
import * as download from './download.operation';
import * as getAll from './getAll.operation';
import * as getMetadata from './getMetadata.operation';
import * as getThumbnail from './getThumbnail.operation';
import * as upload from './upload.operation';

export const file = defineResource(
	'file',
	[
		{ name: 'Delete', value: 'delete', description: 'Remove a file from a record', action: 'Delete a file' },
		{ name: 'Download', value: 'download', description: 'Download a file of a record', action: 'Download a file' },
		{
			name: 'Get Many',
			value: 'getAll',
			description: 'List the files attached to a record',
			action: 'Get many files',
		},
		{
			name: 'Get Metadata',
			value: 'getMetadata',
			description: "Get a file's name, content type, size and modification",
			action: 'Get the metadata of a file',
		},
		{
			name: 'Get Thumbnail',
			value: 'getThumbnail',
			description: 'Download the JPEG thumbnail of a file',
			action: 'Get the thumbnail of a file',
		},
		{
			name: 'Upload',
			value: 'upload',
			description: 'Attach a file to a record, optionally putting it into an image or file field',
			action: 'Upload a file',
		},
	],
	{ delete: deleteFile, download, getAll, getMetadata, getThumbnail, upload },
);
