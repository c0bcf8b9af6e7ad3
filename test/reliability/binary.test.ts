/**
 * Binary integrity: files uploaded and downloaded through the engine come back byte for byte, with their content
 * type and file name, whatever their size (0 B to 10 MB), bytes (all 256 values, random) and name (non-ASCII,
 * spaces, quotes).
 */
import { createHash, randomBytes } from 'node:crypto';

import type { INodeParameters } from 'n8n-workflow';

import { localCredentials, runNode, shutdownEngine } from '../harness/engine';
import type { NinoxServer } from '../server';
import { DEMO, startNinoxServer } from '../server';
import { checkLeaksLast, LeakSink } from './suite';

const TOKEN = 'reliability-binary-token-e81b93d4c7';
const sink = new LeakSink('binary');
const byId = (value: string) => ({ __rl: true, mode: 'id', value });

let server: NinoxServer;
let recordId: number;

beforeAll(async () => {
	sink.addSecret(TOKEN);
	sink.captureLogs();
	server = await startNinoxServer({ seed: 'demo', token: TOKEN });
	[recordId] = server.store.insertRecords(DEMO.teamId, DEMO.dbId, 'A', [{ 'First Name': 'Files' }]);
});
afterEach(() => server.clearLog());
afterAll(async () => {
	await server.close();
	shutdownEngine();
});

async function file(operation: string, parameters: INodeParameters, items?: Parameters<typeof runNode>[0]['items']) {
	return sink.run(
		await runNode({
			parameters: {
				resource: 'file',
				operation,
				team: byId(DEMO.teamId),
				database: byId(DEMO.dbId),
				table: byId('A'),
				recordId: String(recordId),
				...parameters,
			},
			credentials: localCredentials(server),
			items,
		}),
	);
}

const BINARY = 'binary: 0 B to 10 MB, byte-identical, name and type kept';
const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');
const allByteValues = Buffer.from(Array.from({ length: 4096 }, (_, i) => i % 256));

describe('upload then download is byte-identical', () => {
	it.each([
		['0 B', 'leere Datei.txt', Buffer.alloc(0), 'text/plain'],
		['1 byte', 'ä.bin', Buffer.from([0xff]), 'application/octet-stream'],
		['every byte value', 'alle Bytes 0–255 ☃.dat', allByteValues, 'application/octet-stream'],
		['random bytes', 'Zufall 東京 (1).bin', randomBytes(100_003), 'application/octet-stream'],
		['a quoted name', 'Rechnung "März" 2024 – Kopie.pdf', randomBytes(2048), 'application/pdf'],
		['10 MB', 'großes Archiv 2024.zip', randomBytes(10 * 1024 * 1024), 'application/zip'],
	])('%s (%s)', async (_label, name, data, mimeType) => {
		const upload = await file('upload', { binaryPropertyName: 'data', options: {} }, [
			{ json: {}, binary: { data: { data: data.toString('base64'), mimeType, fileName: name } } },
		]);
		expect(upload.error).toBeUndefined();
		expect(upload.items[0].json).toEqual({ uploaded: true, name, contentType: mimeType, size: data.length, recordId });
		const stored = server.store.getFile(DEMO.teamId, DEMO.dbId, 'A', recordId, name);
		expect(stored?.meta).toMatchObject({ name, contentType: mimeType, size: data.length });
		expect(stored && sha256(stored.data)).toBe(sha256(data));

		const download = await file('download', { fileName: name, binaryPropertyName: 'file' });
		expect(download.error).toBeUndefined();
		const [item] = download.items;
		const bytes = Buffer.from(item.binary?.file?.data ?? '', 'base64');
		expect(bytes.length).toBe(data.length);
		expect(sha256(bytes)).toBe(sha256(data));
		expect(item.binary?.file).toMatchObject({ fileName: name, mimeType });
		expect(item.json).toEqual({ name, contentType: mimeType, size: data.length });

		const [post, get] = server.requests;
		expect(post.body).toEqual({ multipart: { fields: {}, files: [{ name: 'file', filename: name, size: data.length, contentType: mimeType }] } });
		expect(get).toMatchObject({ method: 'GET', status: 200 });
		expect(get.segments.at(-1)).toBe(name);
		sink.row({ group: BINARY, case: `binary ${_label}: ${name}`, tried: 1, passed: 1, lost: 0, duplicated: 0 });
	});

	it('a real PNG keeps its bytes and image/png through upload, metadata and download', async () => {
		const png = server.store.getFile(DEMO.teamId, DEMO.dbId, 'A', DEMO.imageRecordId, DEMO.imageFileName)!.data;
		const name = 'Logo Übersicht.png';
		await file('upload', { binaryPropertyName: 'data', options: {} }, [
			{ json: {}, binary: { data: { data: png.toString('base64'), mimeType: 'image/png', fileName: name } } },
		]);
		const metadata = await file('getMetadata', { fileName: name });
		expect(metadata.items[0].json).toMatchObject({ name, contentType: 'image/png', size: png.length });
		const download = await file('download', { fileName: name, binaryPropertyName: 'data' });
		expect(Buffer.from(download.items[0].binary!.data.data, 'base64').equals(png)).toBe(true);
		expect(download.items[0].binary!.data).toMatchObject({ fileName: name, mimeType: 'image/png', fileExtension: 'png' });
		sink.row({ group: BINARY, case: 'binary real PNG', tried: 1, passed: 1, lost: 0, duplicated: 0 });
	});
});

checkLeaksLast(sink, { errors: false });
