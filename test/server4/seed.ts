/**
 * Seed data. 'demo': a CRM module (companies, contacts, deals; every common Ninox 4 type, history on), a
 * `projects` module whose table has history off, views, reports and a global function; deterministic.
 * 'empty': the workspace without modules. `seedBulkTable` makes a large table in milliseconds (tests, bench).
 */
import { prng } from '../server/faults';
import { Store, Table } from './store';
import { writeValues } from './values';

export const DEMO4 = {
  workspaceId: 'k7x2m9p4q1ws',
  workspaceName: 'Demo workspace',
  module: 'crm',
  companies: 'companies',
  contacts: 'contacts',
  deals: 'deals',
  companyCount: 8,
  contactCount: 300,
  dealCount: 40,
  /** a module whose table has history off (its change feed answers 400) */
  projectsModule: 'projects',
  tasks: 'tasks',
  taskCount: 12,
  views: { allContacts: 'vw0001', leads: 'vw0002', allCompanies: 'vw0003' },
  reports: { contactCard: 'rp0001', companyList: 'rp0002' },
} as const;

export type SeedName = 'demo' | 'empty';

/** 2026-01-01T00:00:00Z: seeded records were changed after this, one hour apart. */
export const SEED_EPOCH = Date.UTC(2026, 0, 1);
const HOUR = 3_600_000;

const FIRST = ['Anna', 'Ben', 'Clara', 'David', 'Emma', 'Felix', 'Greta', 'Hugo', 'Ida', 'Jonas', 'Karla', 'Leon',
  'Mia', 'Noah', 'Olivia', 'Paul', 'Rosa', 'Theo', 'Zoë', 'Søren', 'Łukasz', 'Renée', 'José', 'Jürgen', '美咲'];
const LAST = ['Smith', 'Cooper', 'Miller', 'Becker', 'Schultz', 'Müller', "O'Brien", 'Nuñez', 'Øberg', 'Weiß', 'Novak',
  'Rossi', 'Dubois', 'Janssen', 'Kowalski', 'Yılmaz', 'García', 'Fischer', 'Wagner', '山田'];
const COMPANIES = [
  { name: 'Apricote AG', city: 'Berlin', industry: 'Software', revenue: 1250000.5, website: 'https://apricote.example' },
  { name: 'Hub City Ltd', city: 'London', industry: 'Retail', revenue: 830000, website: 'https://hubcity.example' },
  { name: 'Nordwind GmbH', city: 'Hamburg', industry: 'Manufacturing', revenue: 4200000, website: 'https://nordwind.example' },
  { name: 'Café Zürich AG', city: 'Zürich', industry: 'Consulting', revenue: 310000.25, website: 'https://cafe-zuerich.example' },
  { name: 'Blue Pine Inc', city: 'Seattle', industry: 'Software', revenue: 95000, website: 'https://bluepine.example' },
  { name: 'Sol Levante SpA', city: 'Milano', industry: 'Retail', revenue: 640000, website: 'https://sollevante.example' },
  { name: 'Fjord Tech AS', city: 'Oslo', industry: 'Software', revenue: 2100000, website: 'https://fjordtech.example' },
  { name: 'Atelier Brun SARL', city: 'Lyon', industry: 'Consulting', revenue: 180000, website: 'https://atelierbrun.example' },
];

const label = (text: string) => ({ '': text });
const choices = (...names: string[]) => names.map((name, order) => ({ name, order }));

function slug(text: string): string {
  return text.normalize('NFD').replace(/[^A-Za-z]/g, '').toLowerCase() || 'x';
}

export function seedStore(store: Store, seed: SeedName): void {
  if (seed === 'empty') return;
  const realClock = store.now;
  let clock = SEED_EPOCH;
  store.now = () => clock;
  try {
    seedDemo(store, (ms) => { clock = ms; });
  } finally {
    store.now = realClock;
  }
}

function seedDemo(store: Store, setClock: (ms: number) => void): void {
  const random = prng(20260101);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];
  setClock(SEED_EPOCH - 30 * 24 * HOUR);

  const crm = store.addModule({ name: DEMO4.module, labels: label('CRM'), icon: { icon: 'handshake', color: '#3381ff', filling: 0 } });
  const table = (name: string, text: string) => store.addTable(crm, { name, labels: label(text), hasHistory: true, icon: { icon: 'table' } });
  const companies = table(DEMO4.companies, 'Companies');
  const contacts = table(DEMO4.contacts, 'Contacts');
  const deals = table(DEMO4.deals, 'Deals');
  store.addFields(companies, [
    { name: 'name', labels: label('Name'), type: 'string', unique: true, required: true, search: true },
    { name: 'city', labels: label('City'), type: 'string' },
    { name: 'industry', labels: label('Industry'), type: 'choice', options: choices('Software', 'Retail', 'Manufacturing', 'Consulting') },
    { name: 'revenue', labels: label('Revenue'), type: 'number' },
    { name: 'website', labels: label('Website'), type: 'string', variant: 'url' },
  ]);
  store.addFields(contacts, [
    { name: 'first_name', labels: label('First name'), type: 'string' },
    { name: 'last_name', labels: label('Last name'), type: 'string', required: true },
    { name: 'email', labels: label('Email'), type: 'string', variant: 'email', unique: true, index: true },
    { name: 'phone', labels: label('Phone'), type: 'string', variant: 'phone' },
    { name: 'score', labels: label('Score'), type: 'number' },
    { name: 'subscribed', labels: label('Subscribed'), type: 'boolean' },
    { name: 'status', labels: label('Status'), type: 'choice', options: choices('Lead', 'Active', 'Inactive') },
    { name: 'tags', labels: label('Tags'), type: 'multi', options: choices('VIP', 'Newsletter', 'Partner', 'Supplier') },
    { name: 'birthday', labels: label('Birthday'), type: 'date' },
    { name: 'last_contact', labels: label('Last contact'), type: 'timestamp' },
    { name: 'company', labels: label('Company'), type: 'reference', refTableName: DEMO4.companies },
    { name: 'full_name', labels: label('Full name'), type: 'function', expression: 'first_name + " " + last_name' },
    { name: 'notes', labels: label('Notes'), type: 'string', variant: 'multiline-text' },
  ]);
  store.addFields(deals, [
    { name: 'title', labels: label('Title'), type: 'string' },
    { name: 'amount', labels: label('Amount'), type: 'number' },
    { name: 'stage', labels: label('Stage'), type: 'choice', options: choices('Prospect', 'Proposal', 'Won', 'Lost') },
    { name: 'contact', labels: label('Contact'), type: 'reference', refTableName: DEMO4.contacts },
    { name: 'closed_on', labels: label('Closed on'), type: 'date' },
  ]);
  crm.functions.push({ id: 'fn0001', name: 'greeting', code: 'function greeting(name : text) do\n\t"Hello " + name\nend' });

  COMPANIES.forEach((c, i) => {
    setClock(SEED_EPOCH - (10 - i) * 24 * HOUR);
    store.createRecords(companies, [writeValues(store, companies, c, 'seed')]);
  });
  for (let i = 1; i <= DEMO4.contactCount; i++) {
    setClock(SEED_EPOCH + i * HOUR);
    const first = pick(FIRST);
    const last = pick(LAST);
    const birthday = new Date(Date.UTC(1950 + Math.floor(random() * 50), Math.floor(random() * 12), 1 + Math.floor(random() * 28)));
    const tags = ['VIP', 'Newsletter', 'Partner', 'Supplier'].filter(() => random() < 0.25);
    store.createRecords(contacts, [writeValues(store, contacts, {
      first_name: first,
      last_name: last,
      email: `${slug(first)}.${slug(last)}${i}@example.com`,
      phone: `+49 30 ${String(1000000 + i * 7919).slice(0, 7)}`,
      score: Math.floor(random() * 100),
      subscribed: random() < 0.5,
      status: pick(['Lead', 'Active', 'Inactive']),
      tags,
      birthday: birthday.toISOString().slice(0, 10),
      last_contact: new Date(SEED_EPOCH + i * HOUR - Math.floor(random() * 90) * 24 * HOUR).toISOString(),
      company: 1 + Math.floor(random() * DEMO4.companyCount),
      notes: i % 10 === 0 ? `Met at the fair.\nFollow up in ${1 + (i % 4)} weeks.` : null,
    }, 'seed')]);
  }
  for (let i = 1; i <= DEMO4.dealCount; i++) {
    setClock(SEED_EPOCH + (DEMO4.contactCount + i) * HOUR);
    const stage = pick(['Prospect', 'Proposal', 'Won', 'Lost']);
    store.createRecords(deals, [writeValues(store, deals, {
      title: `Deal ${i}`,
      amount: Math.round(random() * 50000) + 500,
      stage,
      contact: 1 + Math.floor(random() * DEMO4.contactCount),
      closed_on: stage === 'Won' || stage === 'Lost' ? new Date(SEED_EPOCH + i * 24 * HOUR).toISOString().slice(0, 10) : null,
    }, 'seed')]);
  }

  const fieldIds = (t: Table, ...names: string[]) => names.map((n) => t.field(n)?.id as string);
  const view = (id: string, t: Table, name: string, text: string, columns: string[], extra = {}) =>
    store.views.set(id, { id, moduleId: crm.id, tableId: t.id, name, labels: label(text), columns: fieldIds(t, ...columns), ...extra });
  view(DEMO4.views.allContacts, contacts, 'all_contacts', 'All contacts', ['full_name', 'email', 'status', 'company']);
  view(DEMO4.views.leads, contacts, 'leads', 'Leads', ['full_name', 'email', 'score'], {
    filter: { status: 'Lead' }, sort: { field: contacts.field('score')?.id as string, descending: true },
  });
  view(DEMO4.views.allCompanies, companies, 'all_companies', 'All companies', ['name', 'city', 'industry']);
  const report = (id: string, t: Table, name: string, text: string, columns: string[]) =>
    store.reports.set(id, { id, moduleId: crm.id, tableId: t.id, name, labels: label(text), format: 'A4', columns: fieldIds(t, ...columns) });
  report(DEMO4.reports.contactCard, contacts, 'contact_card', 'Contact card', ['full_name', 'email', 'phone', 'status', 'tags']);
  report(DEMO4.reports.companyList, companies, 'company_list', 'Company list', ['name', 'city', 'industry', 'revenue']);

  setClock(SEED_EPOCH + (DEMO4.contactCount + DEMO4.dealCount + 1) * HOUR);
  const projects = store.addModule({ name: DEMO4.projectsModule, labels: label('Projects') });
  const tasks = store.addTable(projects, { name: DEMO4.tasks, labels: label('Tasks'), hasHistory: false });
  store.addFields(tasks, [
    { name: 'title', labels: label('Title'), type: 'string' },
    { name: 'done', labels: label('Done'), type: 'boolean' },
    { name: 'due', labels: label('Due'), type: 'date' },
  ]);
  store.createRecords(tasks, Array.from({ length: DEMO4.taskCount }, (_, i) => writeValues(store, tasks, {
    title: `Task ${i + 1}`, done: i % 3 === 0, due: new Date(SEED_EPOCH + (i + 1) * 24 * HOUR).toISOString().slice(0, 10),
  }, 'seed')));
}

export interface BulkTableOptions {
  moduleName?: string;   // created when missing; default 'bench'
  tableName?: string;    // default 'bulk'
  count: number;
  hasHistory?: boolean;  // default true
}

/**
 * A table of `count` records (name, amount, active, category, email (unique), happened) made directly in the store:
 * 10 000 records take a few tens of milliseconds, 100 000 well under a second.
 */
export function seedBulkTable(store: Store, options: BulkTableOptions): Table {
  const moduleName = options.moduleName ?? 'bench';
  const module = store.modules.find((m) => m.name === moduleName) ?? store.addModule({ name: moduleName, labels: label(moduleName) });
  const table = store.addTable(module, { name: options.tableName ?? 'bulk', labels: label('Bulk'), hasHistory: options.hasHistory ?? true });
  store.addFields(table, [
    { name: 'name', labels: label('Name'), type: 'string' },
    { name: 'amount', labels: label('Amount'), type: 'number' },
    { name: 'active', labels: label('Active'), type: 'boolean' },
    { name: 'category', labels: label('Category'), type: 'choice', options: choices('A', 'B', 'C') },
    { name: 'email', labels: label('Email'), type: 'string', unique: true },
    { name: 'happened', labels: label('Happened'), type: 'timestamp' },
  ]);
  const [name, amount, active, category, email, happened] = table.fields.map((f) => f.id);
  const optionIds = (table.fields[3].options as Array<{ id: string }>).map((o) => o.id);
  const start = table.nextRecordId;
  store.createRecords(table, Array.from({ length: options.count }, (_, i) => ({
    [name]: `Record ${start + i}`,
    [amount]: (start + i) * 1.5,
    [active]: i % 2 === 0,
    [category]: optionIds[i % 3],
    [email]: `record${start + i}@example.com`,
    [happened]: SEED_EPOCH + i * 1000,
  })));
  return table;
}
