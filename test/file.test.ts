import { randomBytes } from 'node:crypto';

import type { IBinaryData, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { localCredentials, runNode, shutdownEngine } from './harness/engine';
import type { NinoxServer } from './server';
import { DEMO, startNinoxServer } from './server';

let server: NinoxServer;
/** A fresh Contact record per test, so files never leak between tests. */
let recordId: number;

const byId = (value: string) => ({ __rl: true, mode: 'id', value });
const location = { team: byId(DEMO.teamId), database: byId(DEMO.dbId), table: byId('A') };
const recordSegments = (rid: number) => ['teams', DEMO.teamId, 'databases', DEMO.dbId, 'tables', 'A', 'records', String(rid)];

beforeAll(async () => {
	server = await startNinoxServer({ seed: 'demo' });
});
beforeEach(() => {
	[recordId] = server.store.insertRecords(DEMO.teamId, DEMO.dbId, 'A', [{ 'First Name': 'Files' }]);
	server.clearLog();
});
afterEach(() => server.faults.clear());
afterAll(async () => {
	await server.close();
	shutdownEngine();
});

async function file(
	operation: string,
	parameters: INodeParameters,
	run: { items?: INodeExecutionData[]; continueOnFail?: boolean } = {},
) {
	return await runNode({
		parameters: { resource: 'file', operation, ...location, recordId: String(recordId), ...parameters },
		credentials: localCredentials(server),
		...run,
	});
}

function binaryItem(data: Buffer, fileName?: string, mimeType = 'application/octet-stream', property = 'data'): INodeExecutionData {
	const binary: IBinaryData = { data: data.toString('base64'), mimeType, ...(fileName !== undefined ? { fileName } : {}) };
	return { json: {}, binary: { [property]: binary } };
}

function bytesOf(item: INodeExecutionData, property = 'data'): Buffer {
	return Buffer.from(item.binary?.[property]?.data ?? '', 'base64');
}

function storedFile(name: string, rid = recordId) {
	return server.store.getFile(DEMO.teamId, DEMO.dbId, 'A', rid, name);
}

describe('File → Upload and Download', () => {
	it.each([
		['an empty file', 'empty.bin', 0],
		['1 MB of random bytes', 'random.bin', 1024 * 1024],
		['a non-ASCII name with spaces', 'Übersicht März – 東京 "Entwurf" 100%.txt', 4096],
		['a name holding / ? # %', 'a/b?c#d%2F e.txt', 10],
		['an ASCII name holding %22, quotes and a backslash', '100%22 "x" back\\slash.txt', 3],
	])('round-trips %s byte for byte', async (_label, name, size) => {
		const data = randomBytes(size);
		const upload = await file('upload', { binaryPropertyName: 'data', options: {} }, { items: [binaryItem(data, name)] });
		expect(upload.error).toBeUndefined();
		expect(upload.items).toEqual([
			{
				json: { uploaded: true, name, contentType: 'application/octet-stream', size, recordId },
				pairedItem: { item: 0 },
			},
		]);
		expect(storedFile(name)?.data.equals(data)).toBe(true);

		const download = await file('download', { fileName: name, binaryPropertyName: 'data' });
		expect(download.error).toBeUndefined();
		expect(download.items).toHaveLength(1);
		const [item] = download.items;
		expect(bytesOf(item).equals(data)).toBe(true);
		expect(item.binary?.data).toMatchObject({ fileName: name, mimeType: 'application/octet-stream' });
		expect(item.json).toEqual({ name, contentType: 'application/octet-stream', size });

		const [post, get] = server.requests;
		expect(post).toMatchObject({ method: 'POST', segments: [...recordSegments(recordId), 'files'], status: 202 });
		expect(post.body).toEqual({
			multipart: {
				fields: {},
				files: [{ name: 'file', filename: name, size, contentType: 'application/octet-stream' }],
			},
		});
		// The name is one encoded path segment: nothing in it can reach another endpoint.
		expect(get).toMatchObject({ method: 'GET', segments: [...recordSegments(recordId), 'files', name], status: 200 });
		expect(get.rawPath.endsWith(`/files/${encodeURIComponent(name)}`)).toBe(true);
	});

	it('takes the content type from the input file and keeps it on download', async () => {
		const data = Buffer.from('name;city\nZoë;Zürich\n', 'utf8');
		await file('upload', { binaryPropertyName: 'data', options: {} }, { items: [binaryItem(data, 'people.csv', 'text/csv')] });
		expect(storedFile('people.csv')?.meta.contentType).toBe('text/csv');
		const { items } = await file('download', { fileName: 'people.csv', binaryPropertyName: 'attachment' });
		expect(items[0].binary?.attachment).toMatchObject({ fileName: 'people.csv', mimeType: 'text/csv' });
		expect(bytesOf(items[0], 'attachment').equals(data)).toBe(true);
	});

	it('puts the file into an image field, under another name, from another binary field', async () => {
		const png = storedFile(DEMO.imageFileName, DEMO.imageRecordId)!.data;
		const { items, error } = await file(
			'upload',
			{ binaryPropertyName: 'picture', options: { fieldName: 'Photo', fileName: 'portrait.png' } },
			{ items: [binaryItem(png, 'IMG_0001.PNG', 'image/png', 'picture')] },
		);
		expect(error).toBeUndefined();
		expect(items[0].json).toEqual({
			uploaded: true,
			name: 'portrait.png',
			contentType: 'image/png',
			size: png.length,
			recordId,
			fieldName: 'Photo',
		});
		expect(server.requests[0].body).toEqual({
			multipart: {
				fields: { fieldName: 'Photo' },
				files: [{ name: 'file', filename: 'portrait.png', size: png.length, contentType: 'image/png' }],
			},
		});
		expect(server.store.getRecord(DEMO.teamId, DEMO.dbId, 'A', recordId)?.fields.Photo).toBe('portrait.png');
	});

	it('replaces a file of the same name, so an upload can safely be sent again', async () => {
		await file('upload', { binaryPropertyName: 'data', options: {} }, { items: [binaryItem(Buffer.from('first'), 'note.txt')] });
		server.faults.add({ kind: '503', match: { method: 'POST', path: /\/files$/ } });
		const second = await file('upload', { binaryPropertyName: 'data', options: {} }, {
			items: [binaryItem(Buffer.from('second'), 'note.txt')],
		});
		expect(second.error).toBeUndefined();
		expect(server.requests.map((request) => request.status)).toEqual([202, 503, 202]);
		expect(server.store.listFiles(DEMO.teamId, DEMO.dbId, 'A', recordId).map((meta) => meta.name)).toEqual(['note.txt']);
		expect(storedFile('note.txt')?.data.toString()).toBe('second');
	});

	it('names the missing binary field and the item, and loses no other item under continueOnFail', async () => {
		const failed = await file('upload', { binaryPropertyName: 'data', options: {} }, {
			items: [binaryItem(Buffer.from('x'), 'x.txt', 'text/plain', 'other')],
		});
		expect(failed.error?.message).toBe('Item 0 has no binary field "data"');
		expect(failed.error?.description).toContain('other');
		expect(server.requests).toHaveLength(0);

		const { items, error } = await file('upload', { binaryPropertyName: 'data', options: {} }, {
			items: [{ json: { no: 'file' } }, binaryItem(Buffer.from('kept'), 'kept.txt')],
			continueOnFail: true,
		});
		expect(error).toBeUndefined();
		expect(items[0].json.error).toBe('Item 0 has no binary field "data"');
		expect(items[0].pairedItem).toEqual({ item: 0 });
		expect(items[1].json).toMatchObject({ uploaded: true, name: 'kept.txt' });
		expect(items[1].pairedItem).toEqual({ item: 1 });
		expect(storedFile('kept.txt')?.data.toString()).toBe('kept');
	});

	it('asks for a file name when the input file has none', async () => {
		const { error } = await file('upload', { binaryPropertyName: 'data', options: {} }, { items: [binaryItem(Buffer.from('x'))] });
		expect(error?.message).toBe('The file in binary field "data" has no name');
		expect(server.requests).toHaveLength(0);
	});

	it('answers a missing file with a clear 404, paired under continueOnFail', async () => {
		await file('upload', { binaryPropertyName: 'data', options: {} }, { items: [binaryItem(Buffer.from('here'), 'here.txt')] });
		server.clearLog();
		const failed = await file('download', { fileName: 'nowhere.pdf', binaryPropertyName: 'data' });
		expect(failed.error?.message).toMatch(/not found.*\(404\)/i);
		expect(failed.error?.description).toContain('nowhere.pdf');

		const { items } = await file('download', { fileName: '={{ $json.name }}', binaryPropertyName: 'data' }, {
			items: [{ json: { name: 'nowhere.pdf' } }, { json: { name: 'here.txt' } }],
			continueOnFail: true,
		});
		expect(items[0]).toMatchObject({ json: { error: expect.stringMatching(/not found.*\(404\)/i), httpCode: '404' }, pairedItem: { item: 0 } });
		expect(items[0].binary).toBeUndefined();
		expect(bytesOf(items[1]).toString()).toBe('here');
		expect(items[1].pairedItem).toEqual({ item: 1 });
	});
});

describe('File → Get Many, Get Metadata, Get Thumbnail, Delete', () => {
	it('lists the files of a record, one item each: GET …/records/{rid}/files', async () => {
		const { items, error } = await file('getAll', { returnAll: true }, {});
		expect(error).toBeUndefined();
		expect(items).toEqual([]);

		for (const name of ['b.txt', 'ä ö.txt']) {
			await file('upload', { binaryPropertyName: 'data', options: {} }, { items: [binaryItem(Buffer.from(name), name)] });
		}
		server.clearLog();
		const listed = await file('getAll', { returnAll: true }, {});
		expect(listed.items.map((item) => item.json)).toEqual(server.store.listFiles(DEMO.teamId, DEMO.dbId, 'A', recordId));
		expect(listed.items.map((item) => item.json.name)).toEqual(['b.txt', 'ä ö.txt']);
		expect(listed.items[0].json).toEqual({
			name: 'b.txt',
			contentType: 'application/octet-stream',
			size: 5,
			modifiedDate: expect.any(Number),
			modifiedUser: expect.any(String),
			seq: expect.any(Number),
		});
		expect(server.requests[0]).toMatchObject({ method: 'GET', segments: [...recordSegments(recordId), 'files'], status: 200 });

		const limited = await file('getAll', { returnAll: false, limit: 1 }, {});
		expect(limited.items.map((item) => item.json.name)).toEqual(['b.txt']);
	});

	it('gets the metadata of one file: GET …/files/{file}/metadata', async () => {
		const { items, error } = await runNode({
			parameters: {
				resource: 'file',
				operation: 'getMetadata',
				...location,
				recordId: `A${DEMO.imageRecordId}`,
				fileName: DEMO.imageFileName,
			},
			credentials: localCredentials(server),
		});
		expect(error).toBeUndefined();
		const stored = storedFile(DEMO.imageFileName, DEMO.imageRecordId)!;
		expect(items).toEqual([{ json: stored.meta, pairedItem: { item: 0 } }]);
		expect(stored.meta).toMatchObject({ name: DEMO.imageFileName, contentType: 'image/png' });
		expect(server.requests[0]).toMatchObject({
			method: 'GET',
			segments: [...recordSegments(DEMO.imageRecordId), 'files', DEMO.imageFileName, 'metadata'],
			status: 200,
		});
	});

	it('downloads the JPEG thumbnail of an image: GET …/files/{file}/thumb.jpg', async () => {
		const { items, error } = await runNode({
			parameters: {
				resource: 'file',
				operation: 'getThumbnail',
				...location,
				recordId: String(DEMO.imageRecordId),
				fileName: DEMO.imageFileName,
				binaryPropertyName: 'thumbnail',
			},
			credentials: localCredentials(server),
		});
		expect(error).toBeUndefined();
		const jpeg = bytesOf(items[0], 'thumbnail');
		expect(jpeg.length).toBeGreaterThan(4);
		expect([...jpeg.subarray(0, 2)]).toEqual([0xff, 0xd8]);
		expect([...jpeg.subarray(-2)]).toEqual([0xff, 0xd9]);
		expect(items[0].binary?.thumbnail).toMatchObject({ mimeType: 'image/jpeg', fileName: 'ninox_logo_thumb.jpg' });
		expect(items[0].json).toEqual({
			name: 'ninox_logo_thumb.jpg',
			contentType: 'image/jpeg',
			size: jpeg.length,
			file: DEMO.imageFileName,
		});
		expect(server.requests[0]).toMatchObject({
			method: 'GET',
			segments: [...recordSegments(DEMO.imageRecordId), 'files', DEMO.imageFileName, 'thumb.jpg'],
			status: 200,
		});
	});

	it('deletes a file: DELETE …/files/{file} answers 204, the node {deleted, name}', async () => {
		const name = 'weg damit – ü.txt';
		await file('upload', { binaryPropertyName: 'data', options: {} }, { items: [binaryItem(Buffer.from('bye'), name)] });
		server.clearLog();
		const { items, error } = await file('delete', { fileName: name });
		expect(error).toBeUndefined();
		expect(items).toEqual([{ json: { deleted: true, name }, pairedItem: { item: 0 } }]);
		expect(server.requests).toHaveLength(1);
		expect(server.requests[0]).toMatchObject({
			method: 'DELETE',
			segments: [...recordSegments(recordId), 'files', name],
			status: 204,
		});
		expect(storedFile(name)).toBeUndefined();

		const again = await file('delete', { fileName: name });
		expect(again.error?.message).toMatch(/not found.*\(404\)/i);
	});

	it('refuses a bad record ID and an empty file name before sending anything', async () => {
		const badRecord = await runNode({
			parameters: { resource: 'file', operation: 'getMetadata', ...location, recordId: 'twelve', fileName: 'x.txt' },
			credentials: localCredentials(server),
		});
		expect(badRecord.error?.message).toBe('Record ID "twelve" is not a record ID');
		const emptyName = await file('getMetadata', { fileName: '={{ $json.name }}' }, { items: [{ json: { name: ' ' } }] });
		expect(emptyName.error?.message).toBe('The File Name parameter is empty');
		expect(server.requests).toHaveLength(0);
	});
});
