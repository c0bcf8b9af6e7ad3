/**
 * What the node knows about Ninox 4 beyond the vendor's OpenAPI file: facts a third party verified against the
 * live API (*ext.*) or that were observed in use (*obs.*), as listed in the wire contract. None was tried against a
 * live workspace from here, so each lives on one line of this file: a correction from a live check is a one-line
 * change. Facts from the vendor's spec itself (paths of the 23 operations, page size, body limits) are here too
 * where the node depends on them, marked *spec*.
 */

// ─── answers ────────────────────────────────────────────────────────────────

/** *ext.* The plain-text body of a 401, for a missing and a wrong key alike. */
export const UNAUTHORIZED_TEXT = 'Workspace orchestrator error';

/** *ext.* The status with which a key is refused for lack of a scope (records:write, schema:write, …). */
export const SCOPE_DENIED_STATUS = 403;

/** *ext.* An unknown path under /api/v1 answers 200 with the web app's HTML: success is 2xx **and** JSON `data`. */
export const UNKNOWN_PATH_ANSWERS_HTML = true;

// ─── endpoints beyond the spec ──────────────────────────────────────────────

/** *ext.* One record: `GET …/{t}/record/{id}` (singular `record`, unlike the list). */
export const RECORD_SEGMENT = 'record';

/** *ext.* Create or update by a unique field: `POST …/{t}/records/upsert` `{matchField, records}`. */
export const UPSERT_SEGMENTS = ['records', 'upsert'];

/** *ext.* The status of an upsert whose match value fits more than one record. */
export const UPSERT_AMBIGUOUS_STATUS = 409;

/** *ext.* A writable script: `POST /script/exec` `{moduleName, script, tableName?, rowId?}`. */
export const SCRIPT_EXEC_SEGMENTS = ['script', 'exec'];

/** *ext.* Views of a table: `GET …/{t}/views`; one view: `GET /views/{viewId}` (at the workspace root). */
export const VIEWS_SEGMENT = 'views';

/** *ext.* Reports of a table: `GET …/{t}/reports`; one: `GET /reports/{id}`; `POST /reports/{id}/print`. */
export const REPORTS_SEGMENT = 'reports';
export const PRINT_SEGMENT = 'print';

/** *ext.* At most this many record ids in one print (`rowId` and `rowIds` together). */
export const REPORT_PRINT_MAX_IDS = 250;

/** *ext.* Modules, tables and fields lists take `offset`/`limit` too (`page_info` optional). */
export const SCHEMA_LISTS_ARE_PAGED = true;

// ─── records ────────────────────────────────────────────────────────────────

/** *spec* Rows per page: `limit` 1–100. */
export const MAX_PAGE_SIZE = 100;

/** *spec* POST and PATCH bodies above 6 MB are refused with 413 (listed on PATCH only). */
export const MAX_BODY_BYTES = 6 * 1024 * 1024;

/** *spec* A CSV file above 50 MB is refused with 413. */
export const MAX_CSV_BYTES = 50 * 1024 * 1024;

/** *obs.* The created ids come back in the order of the records sent: they are mapped to items by position. */
export const CREATED_IDS_IN_INPUT_ORDER = true;

/** *obs.* `filter` on `id` answers 404 field-not-found: record ids are not offered as a filter field. */
export const FILTER_ON_ID_SUPPORTED = false;

// *spec* `sort` takes one field name, ascending; *ext.* hints `a,-b` (several, descending): unverified, never sent.

/** *spec* A reference is written as the target's id, an integer (`42`; *obs.* `"1"` passes too). */
export const REFERENCE_ID_AS_NUMBER = true;

/** *obs.* Field types Ninox 4 computes or refuses to write; the read-only types of the spec's reads included. */
export const READ_ONLY_TYPES = new Set([
	'reverse',
	'function',
	'any',
	'html',
	'lambda',
	'react',
	'rowId',
	'styled',
	'unknown',
	'void',
]);


// ─── the web app's URLs ─────────────────────────────────────────────────────

/**
 * *obs.* `https://go.ninox.com/{organizationId}/{workspaceId}/…`. *Unverified* (no source names the rest): that
 * the next two segments are the module's and the table's names. A URL pasted into a locator is read this way.
 */
export const MODULE_URL = String.raw`^https?://[^/]+/[^/?#]+/[a-z0-9]{12}/([a-z0-9_]+)`;
/** *obs.* The workspace ID in such a URL: its second path segment. */
export const WORKSPACE_OF_URL = /^https?:\/\/[^/]+\/[^/?#]+\/([a-z0-9]{12})(?:[/?#]|$)/;
export const TABLE_URL = String.raw`^https?://[^/]+/[^/?#]+/[a-z0-9]{12}/[a-z0-9_]+/([a-z0-9_]+)`;

/** *obs.* CSV imports in update and upsert mode need exactly this many `key` mappings. */
export const CSV_KEY_MAPPINGS_FOR_UPDATE = 1;

// ─── the records change feed (the Ninox 4 Trigger) ──────────────────────────

/**
 * *ext.* `GET …/{t}/records/changes?since=&asOf=&offset=&limit=` →
 * `{data:[{id, changeType, changedAt}], meta:{asOf}, page_info}`; the next `since` is `meta.asOf`, and pages 2+
 * send page 1's `meta.asOf` as `asOf`.
 */
export const CHANGES_SEGMENTS = ['records', 'changes'];

/** *ext.* The status of the change feed of a table whose history is off. */
export const HISTORY_OFF_STATUS = 400;

/**
 * *Unverified* (no source describes the app's screens): where a table's history (the API's `hasHistory`, "Enable
 * history for the table") is switched on in the Ninox 4 app.
 */
export const HISTORY_SETTING_PATH = 'open the module, then the table\'s settings (⋯ next to the table name → Edit table), and switch on "History"';

/**
 * *ext.* `changeType` spellings: the fixture spells `update`, the schema feed `created`; matched by stem, so both
 * spellings (and upper case) are understood. Anything else counts as an update of a record that still exists.
 */
export const CHANGE_TYPE_STEMS = { created: /^creat/i, deleted: /^delet/i } as const;
