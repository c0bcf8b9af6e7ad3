/**
 * What each e2e workflow must do: the file `test/e2e/<name>.workflow.json` runs through `n8n execute`, then its
 * check reads the CLI's run JSON and the local Ninox server's request log and store. The checks that need a
 * running n8n (types, credential test, trigger) live in started.ts.
 */
import { deepStrictEqual, ok, strictEqual } from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { LoggedRequest, NinoxServer } from '../server';
import { DEMO, runScript } from '../server';
import type { LoggedRequest as Ninox4Request, Ninox4Server } from '../server4';
import { DEMO4, renderRecord, writeValues } from '../server4';
import type { ExecuteResult, RunJson } from './n8n';
import { nodeItems, nodeOutput } from './n8n';

export interface CaseContext {
	server: NinoxServer;
	server4: Ninox4Server;
	result: ExecuteResult;
	run: RunJson | undefined;
	/** The requests the execution sent to the server. */
	requests: LoggedRequest[];
	/** The requests the execution sent to the Ninox 4 server. */
	requests4: Ninox4Request[];
	/** What `before` returned. */
	prepared: unknown;
}

export interface WorkflowCase {
	/** The workflow file's base name. */
	name: string;
	/** The file's 16-character workflow id. */
	workflowId: string;
	/** Prepares the store before the run; its result reaches the check as `prepared`. */
	before?(server: NinoxServer, server4: Ninox4Server): unknown;
	/** The execution must fail (exit non-zero). */
	expectError?: boolean;
	/** Throws when something is wrong; may return a short note for the PASS line. */
	check(context: CaseContext): string | void;
}

const { teamId, dbId } = DEMO;
const CONTACT = DEMO.contactTableId;
const COMPANY = DEMO.companyTableId;
const tableRaw = (table: string) => `/v1/teams/${teamId}/databases/${dbId}/tables/${table}`;

/** `METHOD /segment/segment` of each request, for readable comparisons. */
export function calls(requests: LoggedRequest[]): string[] {
	return requests.map((request) => `${request.method} /${request.segments.join('/')}`);
}

export function assertAllOk(requests: Array<Pick<LoggedRequest, 'method' | 'rawPath' | 'status' | 'authorized'>>): void {
	const bad = requests.filter((request) => request.status < 200 || request.status >= 300 || !request.authorized);
	deepStrictEqual(
		bad.map((request) => `${request.method} ${request.rawPath} → ${request.status}`),
		[],
		'every request must be authorized and succeed',
	);
}

function only(requests: LoggedRequest[], method: string, rawPath: string): LoggedRequest[] {
	return requests.filter((request) => request.method === method && request.rawPath === rawPath);
}

function contactsWhere(server: NinoxServer, filters: Record<string, unknown>) {
	return server.store.getRecords(teamId, dbId, CONTACT, { filters } as never);
}

function contact(server: NinoxServer, id: number) {
	const record = server.store.getRecord(teamId, dbId, CONTACT, id);
	ok(record, `contact ${id} exists`);
	return record;
}

// ─── Ninox 4 (the local Ninox 4 server, module crm) ────────────────────────────

const CONTACTS4 = `modules/${DEMO4.module}/tables/${DEMO4.contacts}`;

/** `METHOD /segment/…` of each request to the Ninox 4 server (after `/api/v1/workspace/{ws}`). */
export function calls4(requests: Ninox4Request[]): string[] {
	return requests.map((request) => `${request.method} /${request.segments.join('/')}`);
}

function only4(requests: Ninox4Request[], method: string, path: string): Ninox4Request[] {
	return requests.filter((request) => request.method === method && request.segments.join('/') === path);
}

export function contactsTable4(server4: Ninox4Server) {
	return server4.store.table(DEMO4.module, DEMO4.contacts);
}

/** The crm contacts as the API reads them (values by field name). */
export function contacts4(server4: Ninox4Server) {
	const table = contactsTable4(server4);
	return table.recordList().map((record) => renderRecord(server4.store, table, record));
}

function contact4ByEmail(server4: Ninox4Server, email: string) {
	return contacts4(server4).find((record) => record.values.email === email);
}

const FOUR = 'E2E Four';

const ninox4Cases: WorkflowCase[] = [
	{
		name: 'ninox4-records',
		workflowId: 'e2eNinox4Records',
		before: (_server, server4) => ({ count: contactsTable4(server4).recordList().length, history: contactsTable4(server4).history.length }),
		check({ server4, run, requests4, prepared }) {
			const before = prepared as { count: number; history: number };
			const created = nodeOutput(run, 'Create Contacts');
			const ids = created.map((item) => item.json.id as string);
			strictEqual(ids.length, 5);
			ok(ids.every((id) => /^\d+$/.test(id)) && new Set(ids).size === 5, `five new string ids: ${JSON.stringify(ids)}`);
			deepStrictEqual(
				created.map((item) => item.pairedItem),
				Array.from({ length: 5 }, (_, i) => ({ item: i })),
			);
			const posts = only4(requests4, 'POST', `${CONTACTS4}/records`);
			deepStrictEqual(
				posts.map((post) => (post.body as { records: unknown[] }).records.length),
				[5],
				'five creates in one POST',
			);
			deepStrictEqual((posts[0].body as { records: unknown[] }).records[0], {
				first_name: 'Four 1',
				last_name: FOUR,
				email: 'e2e4.1@example.com',
				score: 1,
				status: 'Lead',
				tags: ['VIP', 'Partner'],
				birthday: '1990-05-01',
			});

			const listed = nodeItems(run, 'List Contacts');
			deepStrictEqual(
				listed.map((record) => record.id),
				ids,
				'the list finds the five created contacts',
			);
			strictEqual(listed[0].full_name, `Four 1 ${FOUR}`, 'a function field is read');
			const lists = only4(requests4, 'GET', `${CONTACTS4}/records`);
			strictEqual(lists.length, 2, 'two lists (List Contacts, List Again), one page each');
			for (const list of lists) {
				deepStrictEqual({ filter: JSON.parse(list.query.filter), limit: list.query.limit }, { filter: { last_name: FOUR }, limit: '100' });
			}

			const upserts = only4(requests4, 'POST', `${CONTACTS4}/records/upsert`);
			strictEqual(upserts.length, 1, 'one upsert request');
			const upsertBody = upserts[0].body as { matchField: string; records: Array<Record<string, unknown>> };
			deepStrictEqual(
				{ matchField: upsertBody.matchField, emails: upsertBody.records.map((record) => record.email) },
				{ matchField: 'email', emails: ['e2e4.1@example.com', 'e2e4.2@example.com', 'e2e4.new@example.com'] },
			);
			deepStrictEqual(
				nodeItems(run, 'Upsert Contacts').map((item) => [item.action, item.matchValue]),
				[
					['created or updated', 'e2e4.1@example.com'],
					['created or updated', 'e2e4.2@example.com'],
					['created or updated', 'e2e4.new@example.com'],
				],
			);

			const again = nodeItems(run, 'List Again');
			const byEmail = new Map(again.map((record) => [record.email, record]));
			deepStrictEqual(
				['e2e4.1@example.com', 'e2e4.3@example.com', 'e2e4.new@example.com'].map((email) => {
					const record = byEmail.get(email);
					return [record?.first_name, record?.score, record?.status];
				}),
				[
					['Four 1', 101, 'Active'],
					['Four 3', 3, 'Lead'],
					['Four New', 42, null],
				],
				'matched contacts updated (other fields kept), the new one created',
			);
			strictEqual(again.length, 6);

			const deletes = only4(requests4, 'DELETE', `${CONTACTS4}/records`);
			strictEqual(deletes.length, 1, 'six deletes in one DELETE');
			deepStrictEqual(
				(deletes[0].body as { records: unknown[] }).records,
				again.map((record) => Number(record.id)),
			);
			strictEqual(
				contacts4(server4).filter((record) => record.values.last_name === FOUR).length,
				0,
				'nothing of the run is left',
			);
			strictEqual(contactsTable4(server4).recordList().length, before.count);
			const history = contactsTable4(server4).history.slice(before.history);
			deepStrictEqual(
				['create', 'update', 'delete'].map((type) => history.filter((change) => change.type === type).length),
				[6, 2, 6],
				'the change feed holds 6 creates, 2 updates, 6 deletes',
			);
			const writes = requests4.filter((request) => request.method !== 'GET');
			strictEqual(writes.length, 3, `three writes in all: ${calls4(writes).join(', ')}`);
			assertAllOk(requests4);
			return `5 created in 1 POST, 2 updated + 1 created in 1 upsert, 6 deleted in 1 DELETE; ${requests4.length} requests in all`;
		},
	},
	{
		name: 'ninox4-csv-import',
		workflowId: 'e2eNinox4CsvImpo',
		before(_server, server4) {
			const table = contactsTable4(server4);
			const record = table.recordList().find((candidate) => candidate.id === 3);
			ok(record, 'contact 3 exists');
			server4.store.updateRecords(table, [
				{ record, values: writeValues(server4.store, table, { email: 'e2e4.csv.existing@example.com' }, 'e2e') },
			]);
			return { count: table.recordList().length, phone: renderRecord(server4.store, table, record).values.phone };
		},
		check({ server4, run, requests4, prepared }) {
			const before = prepared as { count: number; phone: unknown };
			const file = readFileSync(join(__dirname, 'ninox4-files', 'contacts.csv'));
			const binary = nodeOutput(run, 'Read CSV')[0]?.binary?.data;
			ok(binary, 'Read/Write Files put the file into the binary field "data"');
			strictEqual(binary.fileName, 'contacts.csv');
			deepStrictEqual(nodeItems(run, 'Import Contacts'), [
				{
					rowsImported: 2,
					rowsSkipped: 1,
					rowsUpdated: 1,
					warning: "1 row was skipped: check the file's values against the table's fields",
				},
			]);
			const imports = only4(requests4, 'POST', `${CONTACTS4}/records/import/csv`);
			strictEqual(imports.length, 1);
			const { fields, files } = (imports[0].body as { multipart: { fields: Record<string, string>; files: Array<Record<string, unknown>> } })
				.multipart;
			deepStrictEqual(
				{ ...fields, mappings: JSON.parse(fields.mappings) },
				{
					hasHeader: 'true',
					delimiter: ';',
					encoding: 'latin1',
					importMode: 'upsert',
					numberFormat: 'european',
					mappings: [
						{ csvColumnName: 'E-Mail', fieldName: 'email', updatePolicy: 'key' },
						{ csvColumnName: 'Vorname', fieldName: 'first_name' },
						{ csvColumnName: 'Nachname', fieldName: 'last_name' },
						{ csvColumnName: 'Punkte', fieldName: 'score' },
						{ csvColumnName: 'Status', fieldName: 'status' },
					],
				},
			);
			deepStrictEqual(
				files.map((part) => [part.name, part.filename, part.size]),
				[['file', 'contacts.csv', file.length]],
				'the file goes up byte for byte',
			);
			const existing = contact4ByEmail(server4, 'e2e4.csv.existing@example.com');
			deepStrictEqual(
				existing && { id: existing.id, ...pick(existing.values, ['first_name', 'last_name', 'score', 'status', 'phone']) },
				{ id: '3', first_name: 'Jürgen', last_name: 'Überall', score: 12.5, status: 'Active', phone: before.phone },
				'the row with a known email updates that contact (Latin-1, decimal comma), other fields kept',
			);
			deepStrictEqual(
				['e2e4.csv.new1@example.com', 'e2e4.csv.new2@example.com', 'e2e4.csv.bad@example.com'].map((email) => {
					const record = contact4ByEmail(server4, email);
					return record && pick(record.values, ['first_name', 'last_name', 'score', 'status']);
				}),
				[
					{ first_name: 'Zoë', last_name: 'Ñandú', score: 7, status: 'Lead' },
					{ first_name: 'Søren', last_name: "O'Brien", score: 1234.5, status: 'Inactive' },
					undefined,
				],
				'two new contacts; the row with an unknown status is skipped',
			);
			strictEqual(contactsTable4(server4).recordList().length, before.count + 2);
			assertAllOk(requests4);
			return `${file.length} bytes (Latin-1, ";"), 1 updated, 2 imported, 1 skipped in 1 request`;
		},
	},
];

function pick(values: Record<string, unknown>, keys: string[]): Record<string, unknown> {
	return Object.fromEntries(keys.map((key) => [key, values[key]]));
}

export const cases: WorkflowCase[] = [
	{
		name: 'teams-databases-tables',
		workflowId: 'e2eTeamsDbTables',
		check({ run, requests }) {
			deepStrictEqual(
				nodeItems(run, 'Get Teams').map((team) => team.id),
				[DEMO.teamId, DEMO.team2Id],
			);
			deepStrictEqual(
				nodeItems(run, 'Get Databases').map((database) => database.name),
				[DEMO.dbName, DEMO.db2Name],
			);
			const tables = nodeItems(run, 'Get Tables');
			deepStrictEqual(tables.map((table) => `${table.id} ${table.name}`).sort(), ['A Contact', 'B Company']);
			ok((tables.find((table) => table.id === 'A')?.fields as unknown[]).length >= 20, 'Contact lists its fields');
			deepStrictEqual(calls(requests), [
				'GET /teams',
				`GET /teams/${teamId}/databases`,
				`GET /teams/${DEMO.team2Id}/databases`,
				`GET /teams/${teamId}/databases/${dbId}/tables`,
				`GET /teams/${DEMO.team2Id}/databases/${DEMO.db2Id}/tables`,
			]);
			assertAllOk(requests);
			return `${tables.length} tables in ${requests.length} requests`;
		},
	},
	{
		name: 'create-250',
		workflowId: 'e2eCreate250Recs',
		before: (server) => server.store.table(teamId, dbId, CONTACT).nextRid,
		check({ server, run, requests, prepared }) {
			const firstId = prepared as number;
			const output = nodeOutput(run, 'Create Contacts');
			strictEqual(output.length, 250);
			deepStrictEqual(
				output.map((item) => item.json.id),
				Array.from({ length: 250 }, (_, i) => firstId + i),
				'one created record per item, in input order',
			);
			deepStrictEqual(
				output.map((item) => item.pairedItem),
				Array.from({ length: 250 }, (_, i) => ({ item: i })),
				'each output item is paired with its input item',
			);
			const posts = only(requests, 'POST', `${tableRaw(CONTACT)}/records`);
			deepStrictEqual(
				posts.map((post) => (post.body as unknown[]).length),
				[100, 100, 50],
				'250 records in batches of 100: three POSTs',
			);
			deepStrictEqual(Object.keys((posts[0].body as Array<Record<string, unknown>>)[0]), ['fields']);
			assertAllOk(requests);
			const created = contactsWhere(server, { C: 'Batch' });
			strictEqual(created.length, 250);
			const last = contact(server, firstId + 249);
			deepStrictEqual(
				{ first: last.fields['First Name'], score: last.fields.Score, status: last.fields.Status, subscribed: last.fields.Subscribed },
				{ first: 'E2E 250', score: 250, status: 'Lead', subscribed: false },
			);
			return `${posts.length} POSTs, ${requests.length} requests in all`;
		},
	},
	{
		name: 'upsert-by-field',
		workflowId: 'e2eUpsertByField',
		before(server) {
			server.store.updateRecord(teamId, dbId, CONTACT, 5, { Email: 'e2e.upsert.one@example.com' });
			server.store.updateRecord(teamId, dbId, CONTACT, 6, { Email: 'e2e.upsert.two@example.com' });
			return { firstName5: contact(server, 5).fields['First Name'], nextRid: server.store.table(teamId, dbId, CONTACT).nextRid };
		},
		check({ server, run, requests, prepared }) {
			const { firstName5, nextRid } = prepared as { firstName5: unknown; nextRid: number };
			const output = nodeItems(run, 'Upsert Contacts');
			deepStrictEqual(
				output.map((item) => item.id),
				[5, 6, nextRid],
			);
			const five = contact(server, 5);
			deepStrictEqual(
				{ last: five.fields['Last Name'], score: five.fields.Score, first: five.fields['First Name'] },
				{ last: 'Upserted One', score: 71, first: firstName5 },
				'the matched record is updated, its other fields kept',
			);
			strictEqual(contact(server, 6).fields['Last Name'], 'Upserted Two');
			const created = contactsWhere(server, { E: 'e2e.upsert.new@example.com' });
			deepStrictEqual(
				created.map((record) => [record.id, record.fields['Last Name'], record.fields.Score]),
				[[nextRid, 'Upserted New', 73]],
			);
			const writes = requests.filter((request) => request.method !== 'GET');
			deepStrictEqual(calls(writes), [`POST /teams/${teamId}/databases/${dbId}/tables/${CONTACT}/records`]);
			deepStrictEqual(
				(writes[0].body as Array<Record<string, unknown>>).map((entry) => entry.id ?? null),
				[5, 6, null],
				'updates carry their ids, the new record none',
			);
			assertAllOk(requests);
			return `${requests.length - 1} lookups, 1 write`;
		},
	},
	{
		name: 'find',
		workflowId: 'e2eFindRecords01',
		before(server) {
			server.store.updateRecord(teamId, dbId, CONTACT, 7, { Email: 'e2e.find@example.com' });
		},
		check({ server, run, requests }) {
			deepStrictEqual(
				nodeItems(run, 'Find One').map((record) => record.id),
				[7],
			);
			const expected = contactsWhere(server, { A: 'Company', G: 'Active' }).map((record) => record.id);
			ok(expected.length > 0, 'the seed has active companies');
			deepStrictEqual(
				nodeItems(run, 'Find Companies').map((record) => record.id),
				expected,
			);
			const single = only(requests, 'POST', `${tableRaw(CONTACT)}/record`);
			deepStrictEqual(
				single.map((request) => request.body),
				[{ filters: { E: 'e2e.find@example.com' } }],
				'single match: POST …/record with filters by field id',
			);
			const lists = only(requests, 'GET', `${tableRaw(CONTACT)}/records`);
			ok(lists.length >= 1, 'all matches: GET …/records');
			deepStrictEqual(JSON.parse(lists[0].query.filters), { A: 'Company', G: 'Active' });
			assertAllOk(requests);
			return `${expected.length} active companies`;
		},
	},
	{
		name: 'update',
		workflowId: 'e2eUpdateRecords',
		before: (server) => [10, 11, 12].map((id) => contact(server, id).fields['First Name']),
		check({ server, run, requests, prepared }) {
			const firstNames = prepared as unknown[];
			deepStrictEqual(
				nodeItems(run, 'Update Contacts').map((record) => record.id),
				[10, 11, 12],
			);
			[10, 11, 12].forEach((id, position) => {
				const record = contact(server, id);
				deepStrictEqual(
					{ last: record.fields['Last Name'], score: record.fields.Score, notes: record.fields.Notes, first: record.fields['First Name'] },
					{ last: `Updated ${id}`, score: 99, notes: `checked #${id}`, first: firstNames[position] },
				);
			});
			const writes = requests.filter((request) => request.method !== 'GET');
			ok(writes.length >= 1 && writes.length <= 3, `one write per batch or per record, not ${writes.length}`);
			assertAllOk(requests);
			return calls(writes).join(', ');
		},
	},
	{
		name: 'files',
		workflowId: 'e2eFilesDownUp01',
		check({ server, run, requests }) {
			const original = server.store.getFile(teamId, dbId, CONTACT, DEMO.imageRecordId, DEMO.imageFileName);
			ok(original, 'the seed file exists');
			deepStrictEqual(nodeItems(run, 'Download Logo'), [
				{ name: DEMO.imageFileName, contentType: 'image/png', size: original.data.length },
			]);
			const binary = nodeOutput(run, 'Download Logo')[0].binary?.logo;
			ok(binary, 'the download puts the file into the binary field "logo"');
			deepStrictEqual({ mimeType: binary.mimeType, fileName: binary.fileName }, { mimeType: 'image/png', fileName: DEMO.imageFileName });

			const copyName = 'Kopie – Logo ü.png';
			const copy = server.store.getFile(teamId, dbId, CONTACT, 2, copyName);
			ok(copy, `record 2 has "${copyName}"`);
			ok(copy.data.equals(original.data), 'the uploaded bytes equal the downloaded ones');
			strictEqual(copy.meta.contentType, 'image/png');
			strictEqual(contact(server, 2).fields.Photo, copyName, 'the Photo field names the file');

			const download = only(requests, 'GET', `${tableRaw(CONTACT)}/records/1/files/${DEMO.imageFileName}`);
			strictEqual(download.length, 1);
			const upload = only(requests, 'POST', `${tableRaw(CONTACT)}/records/2/files`);
			strictEqual(upload.length, 1);
			const multipart = (upload[0].body as { multipart: { fields: Record<string, string>; files: Array<Record<string, unknown>> } })
				.multipart;
			deepStrictEqual(multipart.fields, { fieldName: 'Photo' });
			deepStrictEqual(
				multipart.files.map((file) => [file.name, file.filename, file.size]),
				[['file', copyName, original.data.length]],
			);
			assertAllOk(requests);
			// n8n keeps binary data in its binary data store (the id says which mode), not in the item.
			return `${original.data.length} bytes, binary data ${String(binary.id ?? 'in memory').split(':')[0]}`;
		},
	},
	{
		name: 'script',
		workflowId: 'e2eScriptQueryEx',
		before: (server) =>
			runScript(
				server.store.database(teamId, dbId),
				`(select Contact where Kind = "Company" and 'Last Name' != "").'Last Name'`,
				{ readOnly: true },
			),
		check({ server, run, requests, prepared }) {
			deepStrictEqual(nodeItems(run, 'Query Names'), [{ result: prepared }]);
			const created = nodeItems(run, 'Exec Create');
			strictEqual(created.length, 1);
			// full records come in the Simplified shape: one key per field
			const fields = created[0] as Record<string, unknown>;
			deepStrictEqual({ name: fields.Name, city: fields.City }, { name: 'E2E Script "Quoted" GmbH', city: 'Köln' });
			const stored = server.store.getRecord(teamId, dbId, COMPANY, created[0].id as number);
			strictEqual(stored?.fields.Name, 'E2E Script "Quoted" GmbH');

			const exec = only(requests, 'POST', `/v1/teams/${teamId}/databases/${dbId}/exec`);
			deepStrictEqual(
				exec.map((request) => request.body),
				[{ query: 'let c := create Company;\nc.Name := "E2E Script \\"Quoted\\" GmbH";\nc.City := "Köln";\nc' }],
				'the script reaches Ninox exactly as written',
			);
			const query = requests.find((request) => request.segments.at(-1) === 'query');
			ok(query, 'the query was sent');
			const sent = query.method === 'GET' ? query.query.query : (query.body as { query: string }).query;
			strictEqual(sent, `(select Contact where Kind = "Company" and 'Last Name' != "").'Last Name'`);
			assertAllOk(requests);
			return `query by ${query.method}, ${(prepared as unknown[]).length} names`;
		},
	},
	{
		name: 'delete-many',
		workflowId: 'e2eDeleteMany001',
		before: (server) =>
			server.store.insertRecords(
				teamId,
				dbId,
				CONTACT,
				Array.from({ length: 120 }, (_, i) => ({ 'First Name': `Doomed ${i + 1}`, 'Last Name': 'E2E Delete' })),
			),
		check({ server, run, requests, prepared }) {
			const doomed = prepared as number[];
			strictEqual(nodeItems(run, 'Find Doomed').length, 120);
			strictEqual(nodeItems(run, 'Delete Them').length, 120);
			const deletes = only(requests, 'DELETE', `${tableRaw(CONTACT)}/records`);
			deepStrictEqual(
				deletes.map((request) => (request.body as unknown[]).length),
				[50, 50, 20],
				'120 ids in batches of 50: three DELETEs',
			);
			deepStrictEqual(
				deletes.flatMap((request) => request.body as number[]),
				doomed,
			);
			strictEqual(contactsWhere(server, { C: 'E2E Delete' }).length, 0);
			ok(server.store.getRecord(teamId, dbId, CONTACT, doomed[0] - 1), 'the record before them is kept');
			assertAllOk(requests);
			return `${deletes.length} DELETEs`;
		},
	},
	{
		name: 'error-not-found',
		workflowId: 'e2eErrorNotFound',
		expectError: true,
		check({ result, requests }) {
			const output = result.stdout + result.stderr;
			ok(/999999/.test(output) && /not found/i.test(output), `the error names the record:\n${output.slice(-1500)}`);
			deepStrictEqual(
				requests.map((request) => [request.method, request.rawPath, request.status]),
				[['GET', `${tableRaw(CONTACT)}/records/999999`, 404]],
			);
			const message = /(Record 999999 not found[^"\n]*)/.exec(output)?.[1];
			return `n8n says: ${message}`;
		},
	},
	{
		name: 'continue-on-fail',
		workflowId: 'e2eContinueOnFai',
		check({ run, requests }) {
			const output = nodeOutput(run, 'Get Each');
			deepStrictEqual(
				output.map((item) => item.pairedItem),
				[{ item: 0 }, { item: 1 }, { item: 2 }],
			);
			strictEqual(output[0].json.id, 3);
			strictEqual(output[2].json.id, 4);
			const error = String(output[1].json.error ?? '');
			ok(/not-a-number/.test(error) && /record id/i.test(error), `the error item names the bad id: ${JSON.stringify(output[1].json)}`);
			deepStrictEqual(
				calls(requests.filter((request) => request.segments.includes('records'))),
				[3, 4].map((id) => `GET /teams/${teamId}/databases/${dbId}/tables/${CONTACT}/records/${id}`),
				'the bad item sends nothing',
			);
			return `error item: ${error}`;
		},
	},
	...ninox4Cases,
];
