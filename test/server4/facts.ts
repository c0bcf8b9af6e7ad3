/**
 * Every fact of the Ninox 4 contract (../shared/ninox4-api/CONTRACT.md) that is marked *ext.* (a third party's
 * check against the live spec), *obs.* (observed) or left open there, in one table. When a live workspace says
 * otherwise, change the line here: the server reads these and nothing else hard-codes them.
 */

export type Scope = 'records:write' | 'schema:write' | 'schema:manage-permissions';

export const FACTS = {
  // ---------------------------------------------------------------- errors and routing
  /** *ext.* a missing or wrong key: 401, text/plain, this body (not the JSON envelope). */
  unauthorizedText: 'Workspace orchestrator error',
  /** *ext.* an unknown path under /api/v1 answers 200 with the web app's HTML. */
  unknownPathStatus: 200,
  /** The start of a 404's message: *obs.* `field-not-found`, `table-not-found`; the rest in the same style. */
  notFoundCodes: {
    module: 'module-not-found', table: 'table-not-found', field: 'field-not-found', record: 'record-not-found',
    view: 'view-not-found', report: 'report-not-found',
  },
  /** *ext.* a key without the endpoint's scope: 403 with this message. */
  scopeMessage: 'Insufficient API key scope',
  /** *ext.* the scopes a workspace key can carry (the July spec names none). */
  scopes: ['records:write', 'schema:write', 'schema:manage-permissions'] as readonly Scope[],

  // ---------------------------------------------------------------- limits
  /** Spec: "max. 6MB payload size" on record POST/PATCH; a NestJS body parser's "6mb" is 6 MiB. */
  jsonBodyLimitBytes: 6 * 1024 * 1024,
  /** Spec: CSV file "max 50 MB". */
  csvFileLimitBytes: 50 * 1024 * 1024,
  /** Spec: `limit` 1–100 on records; *ext.* the same paging on modules, tables, fields and the change feeds. */
  maxPageLimit: 100,
  /** Open question "default limit: always send it": an odd default so a client that omits it is caught. */
  defaultPageLimit: 25,
  /** *ext.* report print: at most this many ids (rowId + rowIds) in all. */
  maxPrintIds: 250,

  // ---------------------------------------------------------------- records
  /** *obs.* DELETE accepts ids as numbers and as numeric strings ("both pass"). */
  deleteAcceptsStringIds: true,
  /** Spec: PATCH `records[].id` is an integer; a string id is refused. */
  patchAcceptsStringIds: false,
  /** *obs.* a `fields` projection gives `null` for a reference field. */
  projectionNullsReferences: true,
  /** *obs.* choice and multi values must match an option name in exact case. */
  choiceNamesCaseSensitive: true,
  /** *obs.* filtering on `id` (not a field) is 404 field-not-found. */
  filterOnIdStatus: 404,
  /** *ext.* `filters` is a deprecated alias of `filter` (clients should never send it; the server accepts it). */
  acceptFiltersAlias: true,
  /** Open question: several filter keys are ANDed. */
  filterKeysAnd: true,
  /** Reads of types the contract leaves as "?": our choice of shape (date as written, timestamp ISO with Z). */
  timestampReadFormat: 'iso' as 'iso' | 'ms',
  /** Our choice: `reverse` fields read as the referring records' ids (the contract says only "computed"); false = a count. */
  reverseReadsAsIds: true,
  /** *obs.* `updatedIds` may under-report: 0 = exact here; set to n to drop the last n ids of each answer. */
  updatedIdsUnderReport: 0,

  // ---------------------------------------------------------------- CSV import
  /** Spec: one transaction; *obs.* per row. false = per row: a bad row is skipped and counted in rowsSkipped. */
  csvAtomic: false,
  /** *obs.* update/upsert imports need exactly one `updatePolicy: "key"` mapping. */
  csvKeyMappingsRequired: 1,
  /** *obs.* headerless columns are named column_1, column_2, … */
  csvHeaderlessPrefix: 'column_',

  // ---------------------------------------------------------------- change feeds (*ext.*)
  /** *ext.* record change types (the fixture spells `update`; the schema feed spells `created`). */
  recordChangeTypes: { create: 'create', update: 'update', delete: 'delete' },
  /** *ext.* schema feed actions. */
  schemaActions: { create: 'created', update: 'updated', delete: 'deleted', restore: 'restored' },
  /** Open question "since inclusive?": here exclusive (since < changedAt ≤ asOf). */
  sinceInclusive: false,
  /** *ext.* the schema feed's `meta.retentionCutoff`: how far back history is kept. */
  schemaRetentionDays: 30,
  /** *ext.* 400 message when the table's history is off. */
  historyOffMessage: 'History is not enabled for this table',
  /** Not stated anywhere: a new table's `hasHistory` when the body leaves it out. */
  hasHistoryDefault: false,

  // ---------------------------------------------------------------- reports (*ext.*)
  /** Open question: presigned URL lifetime. */
  presignedUrlTtlSeconds: 300,
  /** Open question "bearer allowed?": like S3, a presigned URL refuses an extra Authorization header. */
  presignedRejectsAuthorization: true,

  // ---------------------------------------------------------------- script (*ext.*; Ninox-Skills says it does not exist)
  scriptExecAvailable: true,
} as const;

/** The scope each write needs (*ext.*); reads need none. Role keys need `schema:manage-permissions` too. */
export const SCOPE_OF = {
  records: 'records:write',
  schema: 'schema:write',
  permissions: 'schema:manage-permissions',
} as const satisfies Record<string, Scope>;

/** Body keys that set roles: sending them needs `schema:manage-permissions` (*ext.*). */
export const ROLE_KEYS = ['openRoles', 'createRoles', 'readRoles', 'writeRoles', 'deleteRoles'] as const;
