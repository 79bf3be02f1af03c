/**
 * Webhooks: a service endpoint (contract Webhook) with an asynchronous step on Create or Update of a
 * table, as the Plug-in Registration tool registers them. After a write through the Web API the
 * simulator posts the step's execution context to the endpoint, later and on its own, as
 * Dataverse's asynchronous service does.
 *
 * Sources (Learn, power-apps/developer/data-platform):
 * - use-webhooks: the request is a POST with the RemoteExecutionContext as JSON, and the headers
 *   x-request-id, x-ms-dynamics-organization, x-ms-dynamics-entity-name, x-ms-dynamics-request-name
 *   and x-ms-correlation-request-id;
 * - register-web-hook: the three authentication options. WebhookKey sends `?code=<value>` (what an
 *   Azure Functions function key expects); HttpHeader sends key/value headers; HttpQueryString sends
 *   key/value query parameters;
 * - reference/entities/serviceendpoint: AuthType 4 Webhook Key, 5 Http Header, 6 Http Query String;
 *   AuthValue is not readable (IsValidForRead False), so the simulator never serves it back.
 * - An Update step's filtering attributes: the step runs only when one of them is in the update.
 *
 * Where the docs are silent the simulator takes the stricter side, and says so:
 * - a failed delivery (no answer, or not 2xx) is not retried: a receiver must not depend on every
 *   notification arriving (the hourly run covers what one misses);
 * - a notification is posted once the delay has passed even when a $batch change set that made the
 *   write was rolled back afterwards, about a row that may then not exist: a receiver must read the
 *   row, not trust the notification;
 * - any port is accepted (Dataverse takes only 80 and 443), so tests can use loopback servers.
 */
import { randomUUID } from 'node:crypto';

export type WebhookAuth =
  | { type: 'WebhookKey'; value: string }
  | { type: 'HttpHeader'; values: Record<string, string> }
  | { type: 'HttpQueryString'; values: Record<string, string> };

export interface WebhookRegistration {
  /** The step's name (OwningExtension.Name in the context). */
  name: string;
  /** The endpoint URL: http or https. */
  url: string;
  auth: WebhookAuth;
  /** Logical name of the step's table, e.g. `contact`. */
  table: string;
  messages: ('Create' | 'Update')[];
  /** Update only: the step runs when the update sets one of these columns; absent = any column. */
  filteringAttributes?: string[];
  /** The asynchronous service's delay before it posts (the simulator's own choice: 1,000 ms by default). */
  delayMs?: number;
}

export interface WebhookDelivery {
  step: string;
  table: string;
  message: 'Create' | 'Update';
  id: string;
  /** The HTTP status the endpoint answered, or 0 when it could not be reached. */
  status: number;
  at: string;
}

export interface WrittenRow {
  table: string;
  message: 'Create' | 'Update';
  id: string;
  /** The columns the request set, as stored (lookups as `_x_value`). */
  columns: Record<string, unknown>;
  organizationName: string;
  userId: string;
}

export const DEFAULT_WEBHOOK_DELAY_MS = 1000;

export class Webhooks {
  private registrations: WebhookRegistration[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly pending = new Set<Promise<void>>();
  readonly deliveries: WebhookDelivery[] = [];

  set(registrations: WebhookRegistration[]): void {
    this.registrations = registrations.map((r) => validated(r));
  }

  /** What GET /_sim/webhooks shows: every registration without its keys. */
  describe(): { name: string; url: string; auth: WebhookAuth['type']; table: string; messages: string[]; filteringAttributes?: string[] }[] {
    return this.registrations.map(({ name, url, auth, table, messages, filteringAttributes }) => ({ name, url, auth: auth.type, table, messages, ...(filteringAttributes ? { filteringAttributes } : {}) }));
  }

  /** Called after a write through the Web API; schedules a post for every step it triggers. */
  written(row: WrittenRow): void {
    for (const r of this.registrations) {
      if (r.table !== row.table || !r.messages.includes(row.message)) continue;
      if (row.message === 'Update' && r.filteringAttributes && !r.filteringAttributes.some((a) => a in row.columns || `_${a}_value` in row.columns)) continue;
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        const p = this.post(r, row).finally(() => this.pending.delete(p));
        this.pending.add(p);
      }, r.delayMs ?? DEFAULT_WEBHOOK_DELAY_MS);
      this.timers.add(timer);
    }
  }

  /** Waits for every scheduled post to have been sent and answered (tests). */
  async settle(): Promise<void> {
    while (this.timers.size > 0 || this.pending.size > 0) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      await Promise.all([...this.pending]);
    }
  }

  stop(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  private async post(r: WebhookRegistration, row: WrittenRow): Promise<void> {
    const url = new URL(r.url);
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (r.auth.type === 'WebhookKey') url.searchParams.set('code', r.auth.value);
    else if (r.auth.type === 'HttpQueryString') for (const [k, v] of Object.entries(r.auth.values)) url.searchParams.set(k, v);
    else Object.assign(headers, r.auth.values);
    const requestId = randomUUID();
    const correlationId = randomUUID();
    Object.assign(headers, {
      'x-request-id': requestId,
      'x-ms-dynamics-organization': row.organizationName,
      'x-ms-dynamics-entity-name': row.table,
      'x-ms-dynamics-request-name': row.message,
      'x-ms-correlation-request-id': correlationId,
    });
    let status: number;
    try {
      const res = await fetch(url, { method: 'POST', headers, body: JSON.stringify(executionContext(r, row, requestId, correlationId)), signal: AbortSignal.timeout(60_000) });
      status = res.status;
      await res.arrayBuffer();
    } catch {
      status = 0; // not reached, or no answer within the timeout
    }
    this.deliveries.push({ step: r.name, table: row.table, message: row.message, id: row.id, status, at: new Date().toISOString() });
  }
}

function executionContext(r: WebhookRegistration, row: WrittenRow, requestId: string, correlationId: string): Record<string, unknown> {
  const attributes = Object.entries(row.columns).map(([key, value]) => ({ key, value }));
  return {
    BusinessUnitId: '00000000-0000-0000-0000-000000000000',
    CorrelationId: correlationId,
    Depth: 1,
    InitiatingUserId: row.userId,
    InputParameters: [{ key: 'Target', value: { __type: 'Entity:http://schemas.microsoft.com/xrm/2011/Contracts', LogicalName: row.table, Id: row.id, Attributes: attributes } }],
    IsExecutingOffline: false,
    IsInTransaction: false,
    IsOfflinePlayback: false,
    IsolationMode: 1,
    MessageName: row.message,
    Mode: 1,
    OperationCreatedOn: `/Date(${Date.now()})/`,
    OperationId: randomUUID(),
    OrganizationName: row.organizationName,
    OutputParameters: row.message === 'Create' ? [{ key: 'id', value: row.id }] : [],
    OwningExtension: { Id: randomUUID(), LogicalName: 'sdkmessageprocessingstep', Name: r.name },
    ParentContext: null,
    PostEntityImages: [],
    PreEntityImages: [],
    PrimaryEntityId: row.id,
    PrimaryEntityName: row.table,
    RequestId: requestId,
    SecondaryEntityName: 'none',
    SharedVariables: [],
    Stage: 40,
    UserId: row.userId,
  };
}

function validated(r: WebhookRegistration): WebhookRegistration {
  if (typeof r.name !== 'string' || r.name === '') throw new Error('a webhook registration needs a name');
  const url = new URL(r.url);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`webhook ${r.name}: the endpoint URL must be http or https`);
  if (!['WebhookKey', 'HttpHeader', 'HttpQueryString'].includes(r.auth?.type)) throw new Error(`webhook ${r.name}: auth.type must be WebhookKey, HttpHeader or HttpQueryString`);
  if (!Array.isArray(r.messages) || r.messages.some((m) => m !== 'Create' && m !== 'Update')) throw new Error(`webhook ${r.name}: messages must be Create and/or Update`);
  return { ...r, table: r.table.toLowerCase() };
}
