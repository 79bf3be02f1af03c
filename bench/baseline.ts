/**
 * The baseline: the original solution's per-contact call sequence (its flows,
 * Azure Functions and plugin in microsoft/Dynamics-365-FastTrack-Implementation-Assets: …/Vendor
 * Self-Service),
 * sent to the same simulator, so the benchmark can put its
 * request counts next to ours. Run as a child process (NODE_EXTRA_CA_CERTS = the simulator's CA);
 * input on stdin, result JSON on the last stdout line.
 *
 * Onboarding, per technician (flow 3.1, then the plugin 2.2 once Dataverse has the systemuser):
 *   InviteVendorResource   POST /invitations
 *   (the flow's fixed 1-minute wait: not slept; docs/benchmarks.md adds it to the modelled time)
 *   AssignUserLicense      GET /users?$filter=mail eq …&$select=id,usageLocation; PATCH usageLocation
 *                          "US" when empty; POST /users/{id}/assignLicense
 *   AddToEntraIDGroup      GET /users?$filter=mail eq …&$select=id; POST /groups/{g}/members/$ref
 *   plugin (per new systemuser): GET contacts by email; PATCH systemuser coordinates; POST
 *                          bookableresource; PATCH contact lookup; GET vendor characteristics (all
 *                          states); POST one bookableresourcecharacteristic per row.
 * Offboarding (flow 3.2): RemoveUserLicense: GET /users?$filter=mail eq …; POST assignLicense remove.
 *
 * Fairness: flows run concurrently, at most `concurrency` (10) at a time, as Power Automate runs
 * several flow instances at once; each Graph call gets the Graph .NET SDK's default retry (3 retries,
 * Retry-After honoured, else 3 s doubling) and a failed function call (500) gets the flow's default
 * retry policy (4 retries, exponential from 7.5 s, capped at 45 s). The plugin runs inside Dataverse:
 * service protection applies to external requests only (Learn: api-limits-overview, "Applies to all
 * external requests to Dataverse web services"), so its calls are sent with Dataverse's limits off.
 */
import { ClientSecretCredential } from '@azure/identity';
import pLimit from 'p-limit';
import type { SimulatorInfo } from 'tenant-sim';

export interface BaselineInput {
  info: SimulatorInfo;
  mode: 'onboarding' | 'offboarding';
  technicians: { email: string; displayName: string }[];
  skuId: string;
  groupId: string;
  concurrency: number;
}

export interface BaselineOutput {
  mode: BaselineInput['mode'];
  technicians: number;
  /** Wall time of the flows (Graph) and of the plugin runs (Dataverse). */
  flowsMs: number;
  pluginMs: number;
  /** Flow runs that failed after every retry (the original has no later repair). */
  failedFlows: number;
  pluginRuns: number;
  failedPluginRuns: number;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

class FunctionFailed extends Error {}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

interface Answer {
  status: number;
  headers: Headers;
  body: unknown;
}

async function main(): Promise<void> {
  const input = JSON.parse(await readStdin()) as BaselineInput;
  const { info } = input;
  const credential = new ClientSecretCredential(info.tenantId, info.clientId, info.clientSecret, { authorityHost: info.authorityHost, disableInstanceDiscovery: true });
  const graphOrigin = new URL(info.graphBaseUrl).origin;
  const token = async (scope: string): Promise<string> => (await credential.getToken(scope)).token;

  const call = async (url: string, method: string, scope: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> => {
    const res = await fetch(url, {
      method,
      headers: { Authorization: `Bearer ${await token(scope)}`, Accept: 'application/json', ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text ? (JSON.parse(text) as unknown) : undefined };
  };

  /** A Graph call with the Graph SDK's default RetryHandler; a final error throws (the function answers 500). */
  const graph = async (method: string, path: string, body?: unknown): Promise<Answer> => {
    for (let retry = 0; ; retry++) {
      const a = await call(`${info.graphBaseUrl}${path}`, method, `${graphOrigin}/.default`, body);
      if ([429, 503, 504].includes(a.status) && retry < 3) {
        const after = Number(a.headers.get('retry-after'));
        await sleep(Number.isFinite(after) && after > 0 ? after * 1000 : 3000 * 2 ** retry);
        continue;
      }
      if (a.status >= 400) throw new FunctionFailed(`${method} ${path}: ${a.status}`);
      return a;
    }
  };

  /** A function call from a flow: the flow's default retry policy around it. */
  const flowStep = async (fn: () => Promise<void>): Promise<void> => {
    for (let retry = 0; ; retry++) {
      try {
        return await fn();
      } catch (err) {
        if (!(err instanceof FunctionFailed) || retry >= 4) throw err;
        await sleep(Math.min(45_000, 7500 * 2 ** retry));
      }
    }
  };

  const q = (s: string): string => encodeURIComponent(s);
  const lookup = async (email: string, select: string): Promise<{ id: string; usageLocation?: string | null }> => {
    const a = await graph('GET', `/users?$filter=${q(`mail eq '${email}'`)}&$select=${select}`);
    const user = (a.body as { value: { id: string; usageLocation?: string | null }[] }).value[0];
    if (!user) throw new FunctionFailed(`User with email ${email} not found`);
    return user;
  };

  const onboard = async (t: BaselineInput['technicians'][number]): Promise<void> => {
    await flowStep(async () => {
      await graph('POST', '/invitations', { invitedUserEmailAddress: t.email, inviteRedirectUrl: 'https://microsoft.com', sendInvitationMessage: true, invitedUserType: 'Guest', invitedUserDisplayName: t.displayName });
    });
    await flowStep(async () => {
      const user = await lookup(t.email, 'id,usageLocation');
      if (!user.usageLocation) await graph('PATCH', `/users/${user.id}`, { usageLocation: 'US' });
      await graph('POST', `/users/${user.id}/assignLicense`, { addLicenses: [{ skuId: input.skuId }], removeLicenses: [] });
    });
    await flowStep(async () => {
      const user = await lookup(t.email, 'id');
      await graph('POST', `/groups/${input.groupId}/members/$ref`, { '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${user.id}` });
    });
  };

  const offboard = async (t: BaselineInput['technicians'][number]): Promise<void> => {
    await flowStep(async () => {
      const user = await lookup(t.email, 'id');
      await graph('POST', `/users/${user.id}/assignLicense`, { addLicenses: [], removeLicenses: [input.skuId] });
    });
  };

  const limit = pLimit(input.concurrency);
  let failedFlows = 0;
  const flowsStarted = Date.now();
  await Promise.all(
    input.technicians.map((t) =>
      limit(async () => {
        try {
          await (input.mode === 'onboarding' ? onboard(t) : offboard(t));
        } catch {
          failedFlows += 1;
        }
      }),
    ),
  );
  const flowsMs = Date.now() - flowsStarted;

  let pluginMs = 0;
  let pluginRuns = 0;
  let failedPluginRuns = 0;
  if (input.mode === 'onboarding') {
    const admin = async (method: string, path: string, body?: unknown): Promise<unknown> => {
      const res = await fetch(`${info.adminUrl}${path}`, { method, headers: body ? { 'Content-Type': 'application/json' } : {}, body: body ? JSON.stringify(body) : undefined });
      const text = await res.text();
      return text ? (JSON.parse(text) as unknown) : undefined;
    };
    type State = { dataverse: Record<string, Record<string, unknown>[]> };
    const before = new Set(((await admin('GET', '/state')) as State).dataverse.systemusers?.map((r) => String(r.systemuserid)) ?? []);
    await admin('POST', '/sync');
    const created = (((await admin('GET', '/state')) as State).dataverse.systemusers ?? []).filter((r) => !before.has(String(r.systemuserid)));
    await admin('PUT', '/limits', { dataverse: { enabled: false } });
    const dvScope = `${info.dataverseUrl}/.default`;
    const api = `${info.dataverseUrl}/api/data/v9.2/`;
    const dv = async (method: string, path: string, body?: unknown): Promise<Answer> => {
      const a = await call(`${api}${path}`, method, dvScope, body, { 'OData-Version': '4.0', 'OData-MaxVersion': '4.0' });
      if (a.status >= 400) throw new Error(`${method} ${path}: ${a.status} ${JSON.stringify(a.body).slice(0, 200)}`);
      return a;
    };
    const plugin = async (su: Record<string, unknown>): Promise<void> => {
      const email = String(su.internalemailaddress);
      const cols = 'contactid,fullname,o25fs_setuptechnician,_o25fs_bookableresourceid_value,o25fs_startlocation,o25fs_endlocation,_o25fs_organizationalunitid_value,o25fs_displayonscheduleboard,o25fs_enableforavailabilitysearch,o25fs_hourlyrate,o25fs_timeoffapprovalrequired,_o25fs_warehouseid_value,address1_latitude,address1_longitude';
      const found = await dv('GET', `contacts?$select=${cols}&$filter=${q(`emailaddress1 eq '${email}' and o25fs_setuptechnician eq true`)}`);
      const c = (found.body as { value: Record<string, unknown>[] }).value[0];
      if (!c) return;
      if (c.address1_latitude !== null && c.address1_longitude !== null) {
        await dv('PATCH', `systemusers(${String(su.systemuserid)})`, { address1_latitude: c.address1_latitude, address1_longitude: c.address1_longitude });
      }
      const bind = (set: string, id: unknown): string | null => (id ? `/${set}(${String(id)})` : null);
      const br = await dv('POST', 'bookableresources', {
        name: c.fullname,
        resourcetype: 3,
        // Not set by the plugin, but SystemRequired
        // (learn.microsoft.com/dynamics365/field-service/developer/reference/entities/bookableresource)
        // and required by the simulator: added
        // so the plugin's later calls run and are counted (docs/benchmarks.md, "Baseline").
        timezone: 85,
        'UserId@odata.bind': `/systemusers(${String(su.systemuserid)})`,
        ...(c.o25fs_startlocation !== null ? { msdyn_startlocation: c.o25fs_startlocation } : {}),
        ...(c.o25fs_endlocation !== null ? { msdyn_endlocation: c.o25fs_endlocation } : {}),
        ...(c._o25fs_organizationalunitid_value ? { 'msdyn_OrganizationalUnit@odata.bind': bind('msdyn_organizationalunits', c._o25fs_organizationalunitid_value) } : {}),
        msdyn_displayonscheduleboard: c.o25fs_displayonscheduleboard,
        msdyn_displayonscheduleassistant: c.o25fs_enableforavailabilitysearch,
        msdyn_hourlyrate: c.o25fs_hourlyrate,
        msdyn_timeoffapprovalrequired: c.o25fs_timeoffapprovalrequired,
        ...(c._o25fs_warehouseid_value ? { 'msdyn_warehouse@odata.bind': bind('msdyn_warehouses', c._o25fs_warehouseid_value) } : {}),
      });
      const entity = br.headers.get('odata-entityid') ?? br.headers.get('location') ?? '';
      const brId = /\(([0-9a-f-]{36})\)/i.exec(entity)?.[1];
      if (!brId) throw new Error('the bookable resource create returned no id');
      await dv('PATCH', `contacts(${String(c.contactid)})`, { 'o25fs_BookableResourceId@odata.bind': `/bookableresources(${brId})` });
      const rows = await dv('GET', `o25fs_vendorcharacteristics?$select=_o25fs_characteristicid_value,_o25fs_ratingvalueid_value&$filter=${q(`_o25fs_vendorcontactid_value eq ${String(c.contactid)}`)}`);
      for (const row of (rows.body as { value: Record<string, unknown>[] }).value) {
        await dv('POST', 'bookableresourcecharacteristics', {
          'Resource@odata.bind': `/bookableresources(${brId})`,
          'Characteristic@odata.bind': `/characteristics(${String(row._o25fs_characteristicid_value)})`,
          ...(row._o25fs_ratingvalueid_value ? { 'RatingValue@odata.bind': `/ratingvalues(${String(row._o25fs_ratingvalueid_value)})` } : {}),
        });
      }
    };
    const pluginStarted = Date.now();
    await Promise.all(
      created.map((su) =>
        limit(async () => {
          pluginRuns += 1;
          try {
            await plugin(su);
          } catch (err) {
            failedPluginRuns += 1;
            if (failedPluginRuns <= 3) process.stderr.write(`baseline plugin: ${(err as Error).message}\n`);
          }
        }),
      ),
    );
    pluginMs = Date.now() - pluginStarted;
  }
  const out: BaselineOutput = { mode: input.mode, technicians: input.technicians.length, flowsMs, pluginMs, failedFlows, pluginRuns, failedPluginRuns };
  // Wait for the pipe to take the whole line: process.exit() would cut a large one short.
  await new Promise<void>((resolve) => process.stdout.write(`${JSON.stringify(out)}\n`, () => resolve()));
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stdout.write(`${JSON.stringify({ fatal: err instanceof Error ? (err.stack ?? err.message) : String(err) })}\n`);
    process.exit(1);
  },
);
