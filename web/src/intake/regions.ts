// Places. Country codes are ISO 3166-1 alpha-2 and their names come from Intl.DisplayNames in
// the page language (locale data, not our strings). Subdivisions (ISO 3166-2) are offered
// where licensing depends on them most; their names are proper nouns, kept as data.

// ISO 3166-1 alpha-2, officially assigned codes.
const CODES =
  'AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ ' +
  'CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR ' +
  'GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP ' +
  'KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT ' +
  'MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW ' +
  'SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG ' +
  'UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW';

export const COUNTRY_CODES: readonly string[] = CODES.split(' ');

export function isCountry(code: string): boolean {
  return COUNTRY_CODES.includes(code);
}

/** Country options sorted by name in `lang`; the United States first (most members are there). */
export function countryOptions(lang: string): Array<{ value: string; label: string }> {
  let names: Intl.DisplayNames | null = null;
  try {
    names = new Intl.DisplayNames([lang], { type: 'region' });
  } catch {
    names = null;
  }
  const label = (c: string) => names?.of(c) ?? c;
  const collator = new Intl.Collator(lang);
  const rest = COUNTRY_CODES.filter((c) => c !== 'US')
    .map((c) => ({ value: c, label: label(c) }))
    .sort((a, b) => collator.compare(a.label, b.label));
  return [{ value: 'US', label: label('US') }, ...rest];
}

export function countryName(code: string, lang: string): string {
  try {
    return new Intl.DisplayNames([lang], { type: 'region' }).of(code) ?? code;
  } catch {
    return code;
  }
}

type Sub = readonly [code: string, name: string];

const US: readonly Sub[] = [
  ['US-AL', 'Alabama'], ['US-AK', 'Alaska'], ['US-AZ', 'Arizona'], ['US-AR', 'Arkansas'], ['US-CA', 'California'],
  ['US-CO', 'Colorado'], ['US-CT', 'Connecticut'], ['US-DE', 'Delaware'], ['US-DC', 'District of Columbia'],
  ['US-FL', 'Florida'], ['US-GA', 'Georgia'], ['US-HI', 'Hawaii'], ['US-ID', 'Idaho'], ['US-IL', 'Illinois'],
  ['US-IN', 'Indiana'], ['US-IA', 'Iowa'], ['US-KS', 'Kansas'], ['US-KY', 'Kentucky'], ['US-LA', 'Louisiana'],
  ['US-ME', 'Maine'], ['US-MD', 'Maryland'], ['US-MA', 'Massachusetts'], ['US-MI', 'Michigan'], ['US-MN', 'Minnesota'],
  ['US-MS', 'Mississippi'], ['US-MO', 'Missouri'], ['US-MT', 'Montana'], ['US-NE', 'Nebraska'], ['US-NV', 'Nevada'],
  ['US-NH', 'New Hampshire'], ['US-NJ', 'New Jersey'], ['US-NM', 'New Mexico'], ['US-NY', 'New York'],
  ['US-NC', 'North Carolina'], ['US-ND', 'North Dakota'], ['US-OH', 'Ohio'], ['US-OK', 'Oklahoma'], ['US-OR', 'Oregon'],
  ['US-PA', 'Pennsylvania'], ['US-RI', 'Rhode Island'], ['US-SC', 'South Carolina'], ['US-SD', 'South Dakota'],
  ['US-TN', 'Tennessee'], ['US-TX', 'Texas'], ['US-UT', 'Utah'], ['US-VT', 'Vermont'], ['US-VA', 'Virginia'],
  ['US-WA', 'Washington'], ['US-WV', 'West Virginia'], ['US-WI', 'Wisconsin'], ['US-WY', 'Wyoming'],
  ['US-AS', 'American Samoa'], ['US-GU', 'Guam'], ['US-MP', 'Northern Mariana Islands'], ['US-PR', 'Puerto Rico'],
  ['US-VI', 'U.S. Virgin Islands'],
];

const CA: readonly Sub[] = [
  ['CA-AB', 'Alberta'], ['CA-BC', 'British Columbia'], ['CA-MB', 'Manitoba'], ['CA-NB', 'New Brunswick'],
  ['CA-NL', 'Newfoundland and Labrador'], ['CA-NS', 'Nova Scotia'], ['CA-NT', 'Northwest Territories'],
  ['CA-NU', 'Nunavut'], ['CA-ON', 'Ontario'], ['CA-PE', 'Prince Edward Island'], ['CA-QC', 'Quebec'],
  ['CA-SK', 'Saskatchewan'], ['CA-YT', 'Yukon'],
];

const AU: readonly Sub[] = [
  ['AU-ACT', 'Australian Capital Territory'], ['AU-NSW', 'New South Wales'], ['AU-NT', 'Northern Territory'],
  ['AU-QLD', 'Queensland'], ['AU-SA', 'South Australia'], ['AU-TAS', 'Tasmania'], ['AU-VIC', 'Victoria'],
  ['AU-WA', 'Western Australia'],
];

const GB: readonly Sub[] = [
  ['GB-ENG', 'England'], ['GB-NIR', 'Northern Ireland'], ['GB-SCT', 'Scotland'], ['GB-WLS', 'Wales'],
];

export const SUBDIVISIONS: Readonly<Record<string, readonly Sub[]>> = { US, CA, AU, GB };
export type RegionCountry = 'US' | 'CA' | 'AU' | 'GB';

export function hasRegions(country: string): country is RegionCountry {
  return country in SUBDIVISIONS;
}

export function regionName(code: string): string {
  const country = code.slice(0, 2);
  return SUBDIVISIONS[country]?.find(([c]) => c === code)?.[1] ?? code;
}

export function isRegionOf(country: string, region: string): boolean {
  return !!SUBDIVISIONS[country]?.some(([c]) => c === region);
}

/** IANA time zones the browser knows, with the device's own (and `extra`) always included. */
export function timeZones(extra: string[] = []): string[] {
  let zones: string[] = [];
  try {
    const sv = (Intl as unknown as { supportedValuesOf?: (k: string) => string[] }).supportedValuesOf;
    zones = sv ? sv('timeZone') : [];
  } catch {
    zones = [];
  }
  const set = new Set(zones);
  for (const z of [deviceTimeZone(), 'UTC', ...extra]) if (z) set.add(z);
  return [...set].sort();
}

export function deviceTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || '';
  } catch {
    return '';
  }
}

/** "America/Port_of_Spain" → "America / Port of Spain". */
export function timeZoneLabel(z: string): string {
  return z.replace(/_/g, ' ').replace(/\//g, ' / ');
}

/** A language's name in `lang` ("español", "French"), capitalised. */
export function languageName(code: string, lang: string): string {
  try {
    const n = new Intl.DisplayNames([lang], { type: 'language' }).of(code) ?? code;
    return n.charAt(0).toLocaleUpperCase(lang) + n.slice(1);
  } catch {
    return code;
  }
}
