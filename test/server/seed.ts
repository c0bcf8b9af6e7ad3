/**
 * Seed data. 'demo' mirrors the reference's examples (team, "Kontakte" database, Contact/Company tables,
 * the names of the query example) so the demo is useful at once; it is fully deterministic.
 * 'empty' is one team with one database without tables, for tests that build their own scenario.
 */
import { prng } from './faults';
import { demoLogoPng } from './png';
import type { RecordMeta, Store } from './store';

export const DEMO = {
  teamId: 'mnPLY6DMsvq9wz4id',
  teamName: 'Public Cloud Test Team',
  team2Id: 'Cf8fqfNeCaAvBrjkS',
  team2Name: 'Public Cloud Test Team_1',
  dbId: 'gt5k36w957yt',
  dbName: 'Kontakte',
  db2Id: 'zvdufqsrxwr2',
  db2Name: 'Projekte',
  contactTableId: 'A',
  companyTableId: 'B',
  contactCount: 300,
  companyCount: 5,
  /** Contact 1 carries a real PNG in its Photo field. */
  imageRecordId: 1,
  imageFileName: 'ninox_logo.png',
  /** Another user, as in the reference examples. */
  otherUserId: 'EPZ2zSxuC7jt6WF2D',
} as const;

export type SeedName = 'demo' | 'empty';

const FIRST_NAMES = [
  // the reference's query example answers exactly these first eight (incl. the trailing space)
  'Tim', 'Chalie', 'John', 'Caroline', 'Sophie', 'Hans', 'Alfred ', 'Nadin',
  'Lisa', 'Jürgen', 'Zoë', 'Søren', 'Łukasz', 'Renée', 'José', 'Anna', 'Ben', 'Clara', 'David', 'Emma', 'Felix',
  'Greta', 'Hugo', 'Ida', 'Jonas', 'Karla', 'Leon', 'Mia', 'Noah', 'Olivia', 'Paul', 'Rosa', 'Stanley', 'Theo',
  'Ula', 'Victor', 'Wanda', 'Xaver', 'Yara', 'Zeynep', '美咲',
];
const LAST_NAMES = [
  'Smith', 'Cooper', 'Miller', 'Johnson', 'Baxter', 'Copeland', 'Becker', 'Schultz', 'Müller', 'Potts', 'Hunter',
  "O'Brien", 'Nuñez', 'Øberg', 'Đorđević', 'Weiß', 'Novak', 'Rossi', 'Dubois', 'Janssen', 'Kowalski', 'Lindqvist',
  'Papadopoulos', 'Yılmaz', 'García', 'Fischer', 'Wagner', 'Schmidt', 'Meyer', 'Schneider', '山田',
];
const COMPANIES: Array<{ Name: string; City: string; Industry: string; Founded: string; Revenue: number; Website: string }> = [
  { Name: 'Apricote AG', City: 'Berlin', Industry: 'Software', Founded: '1998-04-01', Revenue: 1250000.5, Website: 'https://apricote.example' },
  { Name: 'Hub City, Ltd.', City: 'London', Industry: 'Retail', Founded: '2004-09-15', Revenue: 830000, Website: 'https://hubcity.example' },
  { Name: 'Nordwind GmbH', City: 'Hamburg', Industry: 'Manufacturing', Founded: '1975-01-20', Revenue: 4200000, Website: 'https://nordwind.example' },
  { Name: 'Café Zürich AG', City: 'Zürich', Industry: 'Consulting', Founded: '2012-06-30', Revenue: 310000.25, Website: 'https://cafe-zuerich.example' },
  { Name: 'Blue Pine Inc.', City: 'Seattle', Industry: 'Software', Founded: '2019-11-11', Revenue: 95000, Website: 'https://bluepine.example' },
];

/** 2024-01-15T08:00:00Z: seed timestamps are fixed so runs are identical. */
const SEED_EPOCH = Date.UTC(2024, 0, 15, 8, 0, 0);
const HOUR = 3_600_000;

function ascii(s: string): string {
  return s.normalize('NFKD').replace(/[^\x20-\x7e]/g, '').replace(/[^A-Za-z]/g, '').toLowerCase() || 'user';
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

export function seedStore(store: Store, seed: SeedName): void {
  const realClock = store.now;
  let clock = SEED_EPOCH;
  store.now = () => clock;
  try {
    if (seed === 'empty') {
      store.addTeam({ id: DEMO.teamId, name: DEMO.teamName });
      store.addDatabase(DEMO.teamId, { id: DEMO.dbId, name: 'Empty' });
      return;
    }
    seedDemo(store, (ms) => { clock = ms; });
  } finally {
    store.now = realClock;
  }
}

function seedDemo(store: Store, setClock: (ms: number) => void): void {
  const random = prng(20240115);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];

  store.addTeam({ id: DEMO.teamId, name: DEMO.teamName });
  store.addTeam({ id: DEMO.team2Id, name: DEMO.team2Name });
  store.addDatabase(DEMO.team2Id, { id: DEMO.db2Id, name: DEMO.db2Name, settings: { color: '#FF9800' } });
  const db = store.addDatabase(DEMO.teamId, { id: DEMO.dbId, name: DEMO.dbName });

  // Company is table B, created first so Contact (A) can reference it
  const company = db.addTable({
    id: DEMO.companyTableId,
    name: 'Company',
    fields: [
      { name: 'Name', type: 'string' },
      { name: 'City', type: 'string' },
      { name: 'Industry', type: 'choice', choices: ['Software', 'Retail', 'Manufacturing', 'Consulting'] },
      { name: 'Founded', type: 'date' },
      { name: 'Revenue', type: 'number' },
      { name: 'Website', type: 'url' },
    ],
  });
  const contact = db.addTable({
    id: DEMO.contactTableId,
    name: 'Contact',
    fields: [
      { name: 'Kind', type: 'choice', choices: ['Person', 'Company'] },
      { name: 'First Name', type: 'string' },
      { name: 'Last Name', type: 'string' },
      { name: 'Birthday', type: 'date' },
      { name: 'Email', type: 'email' },
      { name: 'Phone', type: 'phone' },
      { name: 'Status', type: 'choice', choices: ['Active', 'Inactive', 'Lead'] },
      { name: 'Tags', type: 'multi', choices: ['VIP', 'Newsletter', 'Partner', 'Supplier'] },
      { name: 'Score', type: 'number' },
      { name: 'Subscribed', type: 'boolean' },
      { name: 'Company', type: 'ref', refTable: 'Company', revName: 'Contacts' },
      { name: 'Last Contact', type: 'datetime' },
      { name: 'Call Time', type: 'time' },
      { name: 'Meeting', type: 'appointment' },
      { name: 'Duration', type: 'timeinterval' },
      { name: 'Website', type: 'url' },
      { name: 'Address', type: 'location' },
      { name: 'Color', type: 'color' },
      { name: 'Photo', type: 'image' },
      { name: 'Owner', type: 'user' },
      { name: 'Notes', type: 'html' },
      { name: 'Full Name', type: 'string', fn: "'First Name' + \" \" + 'Last Name'" },
    ],
  });

  COMPANIES.forEach((c, i) => {
    setClock(SEED_EPOCH - (10 - i) * 24 * HOUR);
    db.createRecord(company, db.resolveFields(company, c, 'name'));
  });

  for (let i = 1; i <= DEMO.contactCount; i++) {
    const created = SEED_EPOCH + i * HOUR;
    setClock(created);
    const first = i <= FIRST_NAMES.length ? FIRST_NAMES[i - 1] : pick(FIRST_NAMES);
    const last = pick(LAST_NAMES);
    const row: Record<string, unknown> = {
      Kind: i % 10 === 0 ? 'Company' : 'Person',
      'First Name': first,
      'Last Name': last,
      Email: `${ascii(first)}.${ascii(last)}${i}@example.com`,
      Status: pick(['Active', 'Active', 'Inactive', 'Lead']),
      Score: i % 9 === 0 ? Math.round(random() * 10000) / 100 : Math.floor(random() * 100),
      Owner: store.userId,
    };
    if (i % 7 !== 0) {
      row.Birthday = `${1950 + Math.floor(random() * 54)}-${pad(1 + Math.floor(random() * 12))}-${pad(1 + Math.floor(random() * 28))}`;
    }
    if (i % 3 !== 0) row.Phone = `+49 30 ${String(1000000 + Math.floor(random() * 8999999))}`;
    const tags = ['VIP', 'Newsletter', 'Partner', 'Supplier'].filter(() => random() < 0.3);
    if (tags.length) row.Tags = tags;
    if (i % 4 !== 0) row.Subscribed = random() < 0.5;
    if (i % 5 !== 0) row.Company = 1 + Math.floor(random() * COMPANIES.length);
    row['Last Contact'] = created + Math.floor(random() * 90) * 24 * HOUR;
    if (i % 6 === 0) row['Call Time'] = `${pad(8 + Math.floor(random() * 10))}:${pick(['00', '15', '30', '45'])}:00`;
    if (i % 25 === 0) row.Meeting = '2024-03-01T10:00:00 - 2024-03-01T11:30:00';
    if (i % 11 === 0) row.Duration = `${Math.floor(random() * 200)}:${pad(Math.floor(random() * 60))}:16.123`;
    if (i % 13 === 0) row.Website = `https://${ascii(last)}.example`;
    if (i % 17 === 0) row.Address = 'Monbijouplatz 5, 10178 Berlin, Germany <52.5330804,13.3972939>';
    if (i % 19 === 0) row.Color = '#6691FF';
    if (i % 23 === 0) row.Notes = `<p>Met at the <b>fair</b> (${i}).</p>`;

    // the reference's oldest records have no creation date and creator 0
    const meta: RecordMeta = i <= 3
      ? { createdAt: null, createdBy: 0, modifiedAt: created, modifiedBy: DEMO.otherUserId }
      : {};
    db.createRecord(contact, db.resolveFields(contact, row, 'name'), { meta });
  }

  // a few later edits so `updated=true` and `sinceSq` differ from creation order
  for (const rid of [5, 42, 7]) {
    setClock(SEED_EPOCH + (DEMO.contactCount + rid) * HOUR);
    const record = contact.records.get(rid);
    if (record) db.updateRecord(contact, record, db.resolveFields(contact, { Status: 'Active' }, 'name'));
  }

  setClock(SEED_EPOCH + (DEMO.contactCount + 50) * HOUR);
  const withImage = contact.records.get(DEMO.imageRecordId);
  const photo = contact.fieldByName('Photo');
  if (withImage && photo) {
    db.putFile(contact, withImage, { name: DEMO.imageFileName, data: demoLogoPng(), contentType: 'image/png' }, photo);
  }
}
