/**
 * The Functions app's entry (package.json "main": dist/src/functions/index.js). Registrations live
 * one per file and only adapt: the work is in src/app/. Only `app` is imported by name from
 * @azure/functions: the package is CommonJS, and plain Node ESM sees no other named export.
 */
import { app } from '@azure/functions';
import './reconcile.js';
import './plan.js';
import './run.js';
import './runs.js';
import './run-queue.js';
import './bookings.js';
import './dataverse-webhook.js';

app.setup({ enableHttpStream: false });
