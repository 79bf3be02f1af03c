/**
 * A small Dataverse fixture shared by the dataverse-*.test.ts conformance files, and helpers for
 * deterministic GUIDs and $batch bodies.
 */
import type { Fixture } from '../../src/index.js';

/** Deterministic GUID: g(1) = 00000000-0000-0000-0000-000000000001; prefix picks a "table". */
export function g(n: number, prefix = '00000000'): string {
  return `${prefix}-0000-0000-0000-${String(n).padStart(12, '0')}`;
}

export const ACCOUNT_A = g(1, 'aaaaaaaa');
export const ACCOUNT_B = g(2, 'aaaaaaaa');
export const USER_1 = g(1, 'bbbbbbbb');
export const USER_2 = g(2, 'bbbbbbbb');
export const RESOURCE_1 = g(1, 'cccccccc');
export const CHAR_1 = g(1, 'dddddddd');
export const CHAR_2 = g(2, 'dddddddd');
export const RATING_MODEL = g(1, 'eeeeeeee');
export const RATING_1 = g(1, 'ffffffff');
export const BRC_1 = g(1, '99999999');
export const OU_1 = g(1, '88888888');

export function contactId(n: number): string {
  return g(n, '11111111');
}

export function dataverseFixture(): Fixture {
  return {
    dataverse: {
      accounts: [
        { accountid: ACCOUNT_A, name: 'Alpha Vendors', statecode: 0, statuscode: 1 },
        { accountid: ACCOUNT_B, name: "O'Brien Services", statecode: 0, statuscode: 1 },
      ],
      contacts: [
        { contactid: contactId(1), firstname: 'Ann', lastname: 'Archer', fullname: 'Ann Archer', emailaddress1: 'ann@alpha.example', statecode: 0, statuscode: 1, _parentcustomerid_value: ACCOUNT_A, o25fs_setuptechnician: true, o25fs_hourlyrate: 50, o25fs_startlocation: 690970002 },
        { contactid: contactId(2), firstname: 'Bob', lastname: "O'Bryan", fullname: "Bob O'Bryan", emailaddress1: 'Bob@Alpha.example', statecode: 0, statuscode: 1, _parentcustomerid_value: ACCOUNT_A, o25fs_setuptechnician: false, o25fs_hourlyrate: 75 },
        { contactid: contactId(3), firstname: 'Cid', lastname: 'Carter', fullname: 'Cid Carter', emailaddress1: null, statecode: 1, statuscode: 2, _parentcustomerid_value: ACCOUNT_B, o25fs_setuptechnician: true },
        { contactid: contactId(4), firstname: 'Dee', lastname: 'Dune', fullname: 'Dee Dune', emailaddress1: 'dee@obrien.example', statecode: 0, statuscode: 1, _parentcustomerid_value: ACCOUNT_B, o25fs_setuptechnician: true, o25fs_hourlyrate: 60 },
        // Omits most columns: known columns read as null.
        { contactid: contactId(5), lastname: 'Eve', statecode: 0, statuscode: 1 },
      ],
      systemusers: [
        { systemuserid: USER_1, azureactivedirectoryobjectid: g(1, '77777777'), fullname: 'Ann Archer', internalemailaddress: 'ann@alpha.example', isdisabled: false },
        { systemuserid: USER_2, azureactivedirectoryobjectid: g(2, '77777777'), fullname: 'Dee Dune', internalemailaddress: 'dee@obrien.example', isdisabled: true },
      ],
      bookableresources: [{ bookableresourceid: RESOURCE_1, name: 'Ann Archer', resourcetype: 3, _userid_value: USER_1, timezone: 85, statecode: 0, statuscode: 1 }],
      characteristics: [
        { characteristicid: CHAR_1, name: 'Electrical', characteristictype: 1, statecode: 0, statuscode: 1 },
        { characteristicid: CHAR_2, name: 'Plumbing', characteristictype: 2, statecode: 0, statuscode: 1 },
      ],
      ratingmodels: [{ ratingmodelid: RATING_MODEL, name: 'Proficiency', statecode: 0, statuscode: 1 }],
      ratingvalues: [{ ratingvalueid: RATING_1, name: 'Expert', value: 4, _ratingmodel_value: RATING_MODEL, statecode: 0, statuscode: 1 }],
      bookableresourcecharacteristics: [{ bookableresourcecharacteristicid: BRC_1, _resource_value: RESOURCE_1, _characteristic_value: CHAR_1, _ratingvalue_value: RATING_1, statecode: 0, statuscode: 1 }],
      msdyn_organizationalunits: [{ msdyn_organizationalunitid: OU_1, msdyn_name: 'North', statecode: 0, statuscode: 1 }],
      o25fs_vendorcharacteristics: [],
      msdyn_warehouses: [],
    },
  };
}

export interface BatchItem {
  method: string;
  url: string;
  body?: unknown;
  headers?: Record<string, string>;
  contentId?: string;
}

/** A multipart $batch body; an array element is a change set. */
export function batchBody(boundary: string, items: (BatchItem | BatchItem[])[]): string {
  const part = (i: BatchItem, inChangeSet: boolean): string => {
    const lines = ['Content-Type: application/http', 'Content-Transfer-Encoding: binary'];
    if (inChangeSet && i.contentId) lines.push(`Content-ID: ${i.contentId}`);
    lines.push('', `${i.method} ${i.url} HTTP/1.1`);
    if (i.body !== undefined) lines.push('Content-Type: application/json; type=entry');
    for (const [k, v] of Object.entries(i.headers ?? {})) lines.push(`${k}: ${v}`);
    lines.push('', i.body === undefined ? '' : JSON.stringify(i.body));
    return lines.join('\r\n');
  };
  const chunks = items.map((item, n) => {
    if (!Array.isArray(item)) return `--${boundary}\r\n${part(item, false)}`;
    const cs = `changeset_${n}`;
    return `--${boundary}\r\nContent-Type: multipart/mixed; boundary="${cs}"\r\n\r\n${item.map((i) => `--${cs}\r\n${part(i, true)}`).join('\r\n')}\r\n--${cs}--`;
  });
  return `${chunks.join('\r\n')}\r\n--${boundary}--\r\n`;
}

export interface ParsedPart {
  status: number;
  headers: Record<string, string>;
  body: unknown;
  contentId: string | null;
  changeset: boolean;
}

/** Parses a batchresponse into its parts (change-set parts flattened, marked `changeset`). */
export function parseBatchResponse(contentType: string, text: string): ParsedPart[] {
  const boundary = /boundary=([^;\s]+)/.exec(contentType)![1]!;
  const out: ParsedPart[] = [];
  const sections = text.split(`--${boundary}`).slice(1, -1);
  for (const section of sections) {
    const nested = /Content-Type: multipart\/mixed; boundary=(\S+)/.exec(section);
    if (nested) {
      for (const inner of section.split(`--${nested[1]}`).slice(1, -1)) out.push({ ...parsePart(inner), changeset: true });
    } else out.push({ ...parsePart(section), changeset: false });
  }
  return out;
}

function parsePart(section: string): Omit<ParsedPart, 'changeset'> {
  const [partHead, rest] = splitOnce(section.replace(/^\r\n/, ''));
  const contentId = /Content-ID: (\S+)/.exec(partHead)?.[1] ?? null;
  const [respHead, body] = splitOnce(rest);
  const lines = respHead.split('\r\n');
  const status = Number(/^HTTP\/1\.1 (\d+)/.exec(lines[0] ?? '')?.[1]);
  const headers: Record<string, string> = {};
  for (const l of lines.slice(1)) {
    const i = l.indexOf(':');
    if (i > 0) headers[l.slice(0, i).toLowerCase()] = l.slice(i + 1).trim();
  }
  const trimmed = body.trim();
  return { status, headers, body: trimmed ? (JSON.parse(trimmed) as unknown) : undefined, contentId };
}

function splitOnce(s: string): [string, string] {
  const i = s.indexOf('\r\n\r\n');
  return i < 0 ? [s, ''] : [s.slice(0, i), s.slice(i + 4)];
}
