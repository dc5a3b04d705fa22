// Fictional names and contact data. Company names are built from word lists; contact data
// is left out for some accounts on purpose, so the data-completeness KPI has something to find.

import type { Rng } from './rng.ts';

function words(text: string): string[] {
  return text.split(' ');
}

const FIRST_NAMES = words(
  'Ava Ben Chloe Daniel Elena Felix Grace Hugo Isla Jonas Keira Liam Maya Noah Olivia Pablo ' +
    'Quinn Rosa Samir Tara Umar Vera Wen Yusuf Zoe Aiko Bruno Carmen Dev Erik Fatima Gabriel ' +
    'Hana Ivan Julia Kofi',
);
const LAST_NAMES = words(
  'Adler Banerjee Costa Dubois Eriksen Fischer Garcia Hughes Ito Jansen Kowalski Lindqvist ' +
    'Moreau Nakamura Okafor Petrov Quintero Rossi Schmidt Tanaka Urban Varga Wong Yilmaz Zimmer ' +
    'Abbott Brennan Chen Dalton Evans',
);
const NAME_STEMS = words(
  'Blue Cedar Silver North Bright Iron Harbor Summit Maple Red Granite Falcon Aurora Pioneer ' +
    'Lumen Vertex Orchid Atlas Clear Prairie Coastal Evergreen Kestrel Meridian Nimbus Oak ' +
    'Polar Quarry River Sterling Tidal Union Valley Willow Zenith Amber Beacon Copper Delta ' +
    'Ember',
);
const NAME_NOUNS = words(
  'Logistics Health Foods Systems Retail Capital Labs Works Partners Media Robotics Supply ' +
    'Energy Learning Analytics Clinics Freight Outfitters Software Finance Studio Motors Pharma ' +
    'Textiles Networks Insurance Brewing Dental',
);
const LEGAL_FORMS = ['Inc.', 'Ltd', 'GmbH', 'LLC', 'Group', 'Co.', 'SA', 'Pty Ltd', 'BV', ''];

const PHONE_PREFIXES: Readonly<Record<string, string>> = {
  'North America': '+1',
  EMEA: '+44',
  APAC: '+61',
  LATAM: '+55',
};

export function personName(rng: Rng): string {
  return `${rng.pick(FIRST_NAMES)} ${rng.pick(LAST_NAMES)}`;
}

/** Distinct person names, for the CRM users. */
export function distinctPersonNames(rng: Rng, count: number): string[] {
  const all: string[] = [];
  for (const first of FIRST_NAMES) for (const last of LAST_NAMES) all.push(`${first} ${last}`);
  return rng.sample(all, count);
}

export function companyName(rng: Rng): string {
  const form = rng.pick(LEGAL_FORMS);
  const base = `${rng.pick(NAME_STEMS)}${rng.chance(0.4) ? rng.pick(NAME_STEMS).toLowerCase() : ''} ${rng.pick(NAME_NOUNS)}`;
  return form ? `${base} ${form}` : base;
}

export interface ContactData {
  readonly email: string | null;
  readonly phone: string | null;
}

/** Contact data as CRMs hold it: mostly there, sometimes missing, now and then malformed. */
export function contactData(rng: Rng, company: string, region: string): ContactData {
  const domain = `${company
    .toLowerCase()
    .replace(/\b(inc|ltd|gmbh|llc|group|co|sa|pty|bv)\b\.?/g, '')
    .replace(/[^a-z]/g, '')}.example`;
  const mailbox = rng.pick(['billing', 'ops', 'finance', 'it', 'admin', 'hello']);
  let email: string | null = `${mailbox}@${domain}`;
  if (rng.chance(0.06)) email = null;
  else if (rng.chance(0.015)) email = `${mailbox} at ${domain}`;
  const digits = String(rng.int(2_000_000, 9_999_999));
  const phone = rng.chance(0.09) ? null : `${PHONE_PREFIXES[region] ?? '+1'} 555 ${digits}`;
  return { email, phone };
}
