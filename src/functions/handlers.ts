/** The HTTP handlers, bound to this worker's ReconcilerApp. */
import { createHandlers } from '../app/http-handlers.js';
import { reconcilerApp } from './app-instance.js';

export const handlers = createHandlers(reconcilerApp);
