/**
 * The numbers a contact's technician copies to Field Service and Dataverse, checked against the
 * documented range of the column each is written to (issue 9, item 6). A value outside it would be
 * refused by Dataverse on every run (0x80044331 "…is outside the valid range"), so it is an error on
 * the contact instead, naming the field as the contact form does and what it accepts:
 *
 * - Hourly Rate → bookableresource.msdyn_hourlyrate, Money, 0 to 1,000,000,000, precision 2
 *   (Learn, Field Service developer reference: "Bookable Resource (BookableResource) table/entity
 *   reference"; the seed solution gives o25fs_hourlyrate the same range). Checked after rounding
 *   to the 2 decimals that are sent.
 * - Latitude / Longitude → systemuser.address1_latitude / address1_longitude, Double, −90..90 and
 *   −180..180, precision 5 (Learn: "SystemUser table/entity reference").
 * - Start Location / End Location → msdyn_startlocation / msdyn_endlocation, a choice of the global
 *   msdyn_workstartlocationtype: 690970000, 690970001, 690970002.
 *
 * NaN and ±Infinity cannot come through JSON, but a value of another type (a number sent as a
 * string by a custom integration) is caught the same way.
 */
import { ContactError } from '../../src/model/errors.js';
import type { ContactRow } from './rows.js';

/** msdyn_workstartlocationtype (microsoft/Dynamics-365-FastTrack-Implementation-Assets: …/Vendor Self-Service; bookableresource learn.microsoft.com/dynamics365/field-service/developer/reference/entities/bookableresource). */
export const WORK_LOCATIONS: Readonly<Record<number, string>> = {
  690970000: 'Resource Address',
  690970001: 'Organizational Unit Address',
  690970002: 'Location Agnostic',
};

type NumericColumn = 'o25fs_hourlyrate' | 'address1_latitude' | 'address1_longitude' | 'o25fs_startlocation' | 'o25fs_endlocation';

interface NumericField {
  column: NumericColumn;
  /** The field's label on the contact form. */
  label: string;
  min?: number;
  max?: number;
  choices?: Readonly<Record<number, string>>;
  /** The value as it is sent (money is rounded first). */
  sent?: (value: number) => number;
}

export const MONEY_RANGE = { min: 0, max: 1_000_000_000 } as const;

/**
 * A money value with the 2 decimals Dataverse keeps (halves rounded away from zero: the docs do not
 * say how Dataverse rounds, so the product rounds first). Sending it rounded makes what is stored
 * equal what is planned, so an amount with more decimals (42.125) cannot plan the same update on
 * every run.
 */
export function money(value: number | null): number | null {
  if (value === null) return null;
  return Math.sign(value) * Math.round(Number((Math.abs(value) * 100).toPrecision(15))) / 100;
}

export const NUMERIC_FIELDS: readonly NumericField[] = [
  { column: 'o25fs_hourlyrate', label: 'Hourly Rate', ...MONEY_RANGE, sent: (v) => money(v) ?? v },
  { column: 'address1_latitude', label: 'Latitude', min: -90, max: 90 },
  { column: 'address1_longitude', label: 'Longitude', min: -180, max: 180 },
  { column: 'o25fs_startlocation', label: 'Start Location', choices: WORK_LOCATIONS },
  { column: 'o25fs_endlocation', label: 'End Location', choices: WORK_LOCATIONS },
];

const formatNumber = (n: number): string => n.toLocaleString('en-US', { maximumFractionDigits: 20 });

function shown(value: unknown): string {
  if (typeof value === 'number') return Number.isNaN(value) ? 'not a number' : formatNumber(value);
  return `"${String(value).slice(0, 40)}", which is not a number`;
}

function allowed(field: NumericField): string {
  if (field.choices) return `one of ${Object.entries(field.choices).map(([v, label]) => `${label} (${v})`).join(', ')}`;
  return `${formatNumber(field.min!)} to ${formatNumber(field.max!)}`;
}

function fits(field: NumericField, value: number): boolean {
  if (!Number.isFinite(value)) return false;
  if (field.choices) return Object.hasOwn(field.choices, String(value));
  const sent = field.sent ? field.sent(value) : value;
  return sent >= field.min! && sent <= field.max!;
}

/** VALUE_OUT_OF_RANGE naming every field of the contact outside its column's range, or null. */
export function numbersOutOfRange(contact: ContactRow): ContactError | null {
  const wrong = NUMERIC_FIELDS.filter((field) => {
    const value: unknown = contact[field.column];
    if (value === null || value === undefined) return false;
    return typeof value !== 'number' || !fits(field, value);
  });
  if (wrong.length === 0) return null;
  const details = wrong.map((field) => `${field.label} is ${shown(contact[field.column])} (allowed: ${allowed(field)})`);
  const labels = wrong.map((field) => field.label);
  const list = labels.length === 1 ? labels[0]! : `${labels.slice(0, -1).join(', ')} and ${labels[labels.length - 1]!}`;
  return new ContactError(
    'VALUE_OUT_OF_RANGE',
    `Contact ${contact.contactid} has ${wrong.length === 1 ? 'a value' : 'values'} Field Service and Dataverse do not accept: ${details.join('; ')}. Nothing is changed for this contact.`,
    `Correct ${list} on the contact (or clear ${wrong.length === 1 ? 'it' : 'them'}); the next run picks it up.`,
  );
}
