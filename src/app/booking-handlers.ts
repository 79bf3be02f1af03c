/**
 * The mobility app's two routes (issue 14, docs/mobility-routes.md), behind the shared answer()
 * of src/app/http-handlers.ts: GET /api/bookings (the pull feed) and POST /api/bookings/{id}/stage.
 * Both need the project-work-orders family on: its settings hold the stage mapping, and its work
 * orders are the only ones these routes touch.
 */
import type { Settings } from '../config.js';
import { readFeed } from './booking-feed.js';
import { parseBookingId, parseChangedSince, parseStageBody } from './booking-rules.js';
import { setStage, type RouteAnswer } from './booking-stage.js';
import type { ReconcilerApp } from './reconciler-app.js';
import type { AppRequest } from './types.js';

/** The family's stage mapping, or the answer saying the family is off. */
function stageStatusesOf(settings: Settings): Readonly<Record<string, number>> | RouteAnswer {
  const family = settings.families['project-work-orders'];
  if (family) return family.stageStatuses;
  return {
    status: 404,
    body: {
      error: 'The project-work-orders family is off (WORK_ORDER_TYPE_ID is not set), so there are no work order bookings to serve.',
      code: 'FAMILY_OFF',
      action: 'Set WORK_ORDER_TYPE_ID (docs/configuration.md) to turn the family on, then call again.',
    },
  };
}

const isAnswer = (v: Readonly<Record<string, number>> | RouteAnswer): v is RouteAnswer => typeof (v as RouteAnswer).body === 'object';

/** GET /api/bookings?changedSince=<ISO 8601 with offset>. */
export async function bookingFeed(app: ReconcilerApp, request: AppRequest): Promise<RouteAnswer> {
  const mapping = stageStatusesOf(app.settings);
  if (isAnswer(mapping)) return mapping;
  const given = request.query.get('changedSince');
  const since = parseChangedSince(given);
  const feed = await readFeed(app.dataverse({ deadline: Date.now() + app.httpWaitMs }), given!.trim(), since, mapping);
  return { status: 200, body: { ...feed } };
}

/** POST /api/bookings/{id}/stage with {"stage":"Onsite"}. */
export async function bookingStage(app: ReconcilerApp, request: AppRequest): Promise<RouteAnswer> {
  const mapping = stageStatusesOf(app.settings);
  if (isAnswer(mapping)) return mapping;
  const id = parseBookingId(request.params.id);
  const stage = parseStageBody(request.contentType, await request.text(), Object.keys(mapping));
  return setStage(app.dataverse({ deadline: Date.now() + app.httpWaitMs }), id, stage, mapping);
}
