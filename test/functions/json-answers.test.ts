/**
 * The API's own JSON answers are terminal-safe too (issue 9, item 7): `curl …/api/runs/{id}` prints
 * the stored run record, contact names included, straight to a terminal. The handlers write it the
 * way the JSON report is written (src/report/terminal-safe.ts): JSON.stringify's \u escapes for C0,
 * plus \u escapes for DEL, C1 and bidi controls, so nothing raw reaches the terminal and JSON.parse
 * still gives the exact names back. The app is a stand-in that only reads the run history.
 */
import { describe, expect, it } from 'vitest';
import { createHandlers } from '../../src/app/http-handlers.js';
import type { ReconcilerApp } from '../../src/app/reconciler-app.js';
import type { RunEntry } from '../../src/history/run-store.js';
import type { RunRecord } from '../../src/model/run.js';
import { C, makeRun } from '../unit/report/fixture.js';
import { appRequest } from './harness.js';

const HOSTILE = 'Mallory \u001b]8;;https://evil.example/\u0007\u009b2J\u202eDoe\u2066\u007f';

function appWith(record: RunRecord): ReconcilerApp {
  const entry: RunEntry = { status: 'finished', ...record };
  const history = { read: (id: string) => Promise.resolve(id === record.runId ? entry : undefined) };
  return { history } as unknown as ReconcilerApp;
}

describe('JSON answers of the HTTP API', () => {
  it('GET /api/runs/{id}: no raw control character in the body, the exact name after JSON.parse', async () => {
    const record = makeRun();
    record.plan.subjects.find((c) => c.subject.id === C.alice)!.subject.displayName = HOSTILE;
    const handlers = createHandlers(() => appWith(record));
    const res = await handlers.runStatus({ ...appRequest('GET', `/api/runs/${record.runId}`), params: { id: record.runId } });
    expect(res.status).toBe(200);
    // eslint-disable-next-line no-control-regex
    expect(res.body).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
    expect(res.body).toContain('Mallory \\u001b]8;;https://evil.example/\\u0007\\u009b2J\\u202eDoe\\u2066\\u007f');
    const parsed = JSON.parse(res.body) as RunRecord;
    expect(parsed.plan.subjects.find((c) => c.subject.id === C.alice)!.subject.displayName).toBe(HOSTILE);
  });
});
