/**
 * The people of the demo tenant and the state each one is in (docs/simulator.md, "The demo
 * fixture"). demo-fixture.ts turns them into rows; the conformance test checks every case is there.
 */

export const VENDORS = {
  fabrikam: { name: 'Fabrikam Services Ltd', domain: 'fabrikam-services.com' },
  northwind: { name: 'Northwind Maintenance', domain: 'northwind-maintenance.co.uk' },
  tailspin: { name: 'Tailspin Engineering', domain: 'tailspin-engineering.com' },
  // On service accounts: its technicians use apps that refuse B2B guests (demo-service-accounts.ts).
  litware: { name: 'Litware Remote Experts', domain: 'litware-experts.com' },
} as const;

export type VendorKey = keyof typeof VENDORS;

export type DemoCase =
  | 'new'
  | 'converged'
  | 'drift-licence'
  | 'drift-group'
  | 'drift-resource-column'
  | 'drift-characteristic-added'
  | 'drift-characteristic-removed'
  | 'drift-coordinates'
  | 'drift-usage-location'
  | 'deactivated-with-access'
  | 'deactivated-converged'
  | 'reactivated'
  | 'setup-off-with-access'
  | 'setup-off-nothing'
  | 'guest-unanchored'
  | 'script-name'
  | 'malformed-email'
  | 'service-new'
  | 'service-converged'
  | 'service-deactivated'
  | 'switch-to-service';

export interface DemoPerson {
  /** `<case>-<n>`: stable, and the ids derive from it. */
  key: string;
  case: DemoCase;
  first: string;
  last: string;
  vendor: VendorKey;
  /** Default: first.last@<vendor domain>, lower-cased. */
  email?: string;
  /** Default 'United Kingdom'; null for none. */
  country?: string | null;
  noCoordinates?: boolean;
  /** Number of active characteristics (default: index mod 4). */
  characteristics?: number;
}

/** What each case is and what the reconciler should do about it. */
export const DEMO_CASES: Record<DemoCase, { state: string; expected: string }> = {
  new: { state: 'Active, setup flag on, no Entra user yet.', expected: 'Invite a guest, set usageLocation (from the country: IE for Ben Carter in Ireland; else DEFAULT_USAGE_LOCATION, GB), assign the licence, add to the technician group; once the user sync has created the systemuser: set its coordinates, create the bookable resource, link it on the contact, create its characteristics.' },
  converged: { state: 'Fully provisioned and anchored; every object as the reconciler leaves it.', expected: 'Nothing (no write request).' },
  'drift-licence': { state: 'Licence removed by hand; the user sync has disabled the systemuser.', expected: 'Assign the licence again; the user sync re-enables the systemuser.' },
  'drift-group': { state: 'Taken out of the technician group by hand; systemuser disabled.', expected: 'Add to the group again; the user sync re-enables the systemuser.' },
  'drift-resource-column': { state: 'Bookable resource edited by hand (#1 hourly rate and display on schedule board; #2 name and time zone).', expected: 'Update those resource columns back from the contact.' },
  'drift-characteristic-added': { state: 'A characteristic added by hand on the bookable resource (not on the contact).', expected: 'Remove that characteristic from the resource.' },
  'drift-characteristic-removed': { state: 'One of the contact\'s characteristics deleted by hand from the resource.', expected: 'Create it again (with its rating).' },
  'drift-coordinates': { state: 'systemuser coordinates changed by hand (to New York).', expected: 'Set the systemuser\'s address1_latitude/longitude back to the contact\'s.' },
  'drift-usage-location': { state: 'Guest invited and anchored by an earlier run that stopped before licensing: no usageLocation, no licence, not in the group (status invited).', expected: 'Set usageLocation, assign the licence, add to the group, then the Dataverse steps as for a new contact.' },
  'deactivated-with-access': { state: 'Contact deactivated (statecode 1, statuscode 2) while licence, membership and an active resource remain.', expected: 'Remove the licence, remove from the group, deactivate the bookable resource; never delete the Entra user (the sync then disables the systemuser).' },
  'deactivated-converged': { state: 'Deactivated earlier and already deprovisioned (status deprovisioned).', expected: 'Nothing.' },
  reactivated: { state: 'Contact active again after a deprovision: no licence, not in the group, systemuser disabled, resource inactive.', expected: 'Assign the licence, add to the group; once the sync re-enabled the systemuser, reactivate the bookable resource.' },
  'setup-off-with-access': { state: 'Setup flag turned off while everything is still provisioned.', expected: 'Nothing by default (DEPROVISION_WHEN_SETUP_OFF=false): out of scope, and the report lists what remains.' },
  'setup-off-nothing': { state: 'Setup flag off and nothing provisioned.', expected: 'Nothing; not in scope.' },
  'guest-unanchored': { state: 'A guest already exists for the email (invited by the original flows), the contact has no anchor: #1 mail in other casing, #2 mail null and the email only in otherMails, #3 also licensed, in the group and synced, no bookable resource.', expected: 'Match by email, write o25fs_entraobjectid, never invite a second time; then provision whatever is missing.' },
  'script-name': { state: 'New contact whose first name is <script>alert(1)</script>.', expected: 'Provision like any other: the name is data, escaped wherever it is shown.' },
  'malformed-email': { state: 'New contact whose email is malformed.', expected: 'An error on this contact alone (invalid email), no invitation; every other contact goes on.' },
  'service-new': { state: 'Litware contact, Account type Service account, nothing in Entra yet.', expected: 'Create a Member service account in contoso.com (deterministic UPN and mailNickname, companyName = the vendor, otherMails = the email, the mark, a random password nobody sees), anchor it, assign both persona licences, add to the group; after the user sync, the Dataverse steps as for a new guest.' },
  'service-converged': { state: 'Litware service account fully provisioned.', expected: 'Nothing.' },
  'service-deactivated': { state: 'Litware contact deactivated while its service account is enabled, licensed and in the group.', expected: 'Disable the account (never delete it), remove both licences, leave the group, deactivate the bookable resource.' },
  'switch-to-service': { state: 'A provisioned Litware guest whose contact now asks for a service account.', expected: 'Create the service account and anchor the contact to it; the old guest loses its licence and the group (the guest is kept); after the sync the bookable resource moves to the new Dataverse user.' },
};

const v = (i: number): VendorKey => (['fabrikam', 'northwind', 'tailspin'] as const)[i % 3]!;

function people(kind: DemoCase, names: string[], extra: (n: number) => Partial<DemoPerson> = () => ({})): DemoPerson[] {
  return names.map((full, k) => {
    const [first, ...rest] = full.split(' ');
    return { key: `${kind}-${k + 1}`, case: kind, first: first!, last: rest.join(' '), vendor: v(k + kind.length), ...extra(k + 1) };
  });
}

export const DEMO_PEOPLE: DemoPerson[] = [
  ...people('new', [
    'Aisha Khan', 'Ben Carter', 'Chloe Evans', 'Daniel Wright', 'Emily Roberts', 'Finn Murphy', 'Grace Thompson',
    'Harry Walker', 'Isla Green', 'Jack Robinson', 'Siobhan O\'Brien', 'Ravi Sharma', 'Tom Hughes', 'Zoë Åberg',
  ], (n) => ({
    ...(n === 2 ? { country: 'Ireland' } : {}),
    ...(n === 3 ? { country: null } : {}),
    ...(n === 4 ? { noCoordinates: true } : {}),
    ...(n === 11 ? { email: 'siobhan.o\'brien@northwind-maintenance.co.uk' } : {}),
    ...(n === 12 ? { email: 'ravi.sharma+fieldservice@fabrikam-services.com' } : {}),
    ...(n === 13 ? { email: 'TOM.HUGHES@TAILSPIN-ENGINEERING.COM' } : {}),
    ...(n === 14 ? { email: 'zoe.aberg@tailspin-engineering.com' } : {}),
  })),
  ...people('converged', [
    'Liam Patel', 'Olivia Brown', 'Noah Wilson', 'Amelia Taylor', 'Oliver Davies', 'Mia Johnson', 'George Clarke', 'Sophie Lewis',
    'Arthur Hall', 'Freya Young', 'Leo King', 'Ella Scott', 'Oscar Baker', 'Lily Adams', 'Charlie Mitchell', 'Ava Turner',
  ], (n) => (n === 5 || n === 12 ? { noCoordinates: true } : {})),
  ...people('drift-licence', ['Henry Phillips', 'Poppy Campbell']),
  ...people('drift-group', ['Alfie Parker', 'Evie Edwards']),
  ...people('drift-resource-column', ['Thomas Collins', 'Ruby Stewart']),
  ...people('drift-characteristic-added', ['Joshua Morris', 'Jessica Rogers'], () => ({ characteristics: 1 })),
  ...people('drift-characteristic-removed', ['William Reed', 'Daisy Cook'], () => ({ characteristics: 2 })),
  ...people('drift-coordinates', ['James Morgan', 'Florence Bell']),
  ...people('drift-usage-location', ['Samuel Murray', 'Matilda Ward']),
  ...people('deactivated-with-access', ['Max Cox']),
  ...people('deactivated-converged', ['Lucas Wood', 'Imogen Watson'], () => ({ characteristics: 0 })),
  ...people('reactivated', ['Ethan Brooks', 'Harriet Gray', 'Isaac James']),
  ...people('setup-off-with-access', ['Mohammed Ali', 'Rosie Bennett']),
  ...people('setup-off-nothing', ['Adam Price', 'Holly Hughes']),
  ...people('guest-unanchored', ['Dylan Cooper', 'Millie Foster', 'Reuben Shaw']),
  ...people('script-name', ['<script>alert(1)</script> Payload'], () => ({ email: 'xss.test@fabrikam-services.com' })),
  ...people('malformed-email', ['Sam Okafor'], () => ({ email: 'sam.okafor@@northwind-maintenance' })),
  ...people('service-new', ['Priya Nair', 'Kwame Mensah', 'Léa Dubois'], () => ({ vendor: 'litware' })),
  ...people('service-converged', ['Marta Nowak', 'Chen Wei'], () => ({ vendor: 'litware' })),
  ...people('service-deactivated', ['Omar Haddad'], () => ({ vendor: 'litware' })),
  ...people('switch-to-service', ['Nina Petrova'], () => ({ vendor: 'litware' })),
];
