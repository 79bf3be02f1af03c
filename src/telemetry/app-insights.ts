/**
 * RunTelemetry on Application Insights. The class talks to a TelemetrySink, the part of the
 * applicationinsights TelemetryClient it uses, so tests inject a fake and capture every call.
 * Every call goes through the allow-list (redact.ts) first: only ids, codes and counts are sent.
 */
import type { RunTelemetry } from '../engine/seams.js';
import type { RunRecord } from '../model/run.js';
import type { DependencyRecord } from './dependencies.js';
import { errorFields, redactProperties, sanitisedError } from './redact.js';
import { runEvent } from './run-event.js';

/** The subset of applicationinsights' TelemetryClient this product calls. */
export interface TelemetrySink {
  trackEvent(telemetry: { name: string; properties?: Record<string, string>; measurements?: Record<string, number> }): void;
  trackException(telemetry: { exception: Error; properties?: Record<string, string> }): void;
  trackDependency(telemetry: DependencyRecord): void;
  flush(): Promise<void>;
  shutdown(): Promise<void>;
}

/** RunTelemetry plus the lifecycle an entry point needs. */
export interface Telemetry extends RunTelemetry {
  /** Whether anything is sent (APPLICATIONINSIGHTS_CONNECTION_STRING was set). */
  readonly enabled: boolean;
  /** One HTTP call the product made (dependencies.ts feeds this). */
  dependency(dependency: DependencyRecord): void;
  /** Sends what is queued; never rejects. Call it before an invocation ends. */
  flush(): Promise<void>;
  /** Stops dependency tracking and the exporter; never rejects. */
  dispose(): Promise<void>;
}

export class AppInsightsTelemetry implements Telemetry {
  readonly enabled = true;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly sink: TelemetrySink,
    private readonly onDispose: () => void = () => undefined,
  ) {}

  runFinished(record: RunRecord, durationMs: number): void {
    this.sink.trackEvent(runEvent(record, durationMs));
    // One event an hour: send it now rather than wait for the batch interval, in case the
    // instance is scaled in right after the invocation.
    void this.flush();
  }

  exception(error: unknown, properties?: Record<string, string>): void {
    this.sink.trackException({
      exception: sanitisedError(error),
      properties: redactProperties({ ...properties, ...errorFields(error) }),
    });
  }

  dependency(dependency: DependencyRecord): void {
    this.sink.trackDependency(dependency);
  }

  /**
   * Flushes are chained: the SDK's flush resolves at once when another flush has already taken the
   * queued items, so a caller awaiting flush() after runFinished() would not wait for the send.
   */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(() => this.sink.flush()).catch(() => undefined); // telemetry never fails a run
    return this.flushing;
  }

  async dispose(): Promise<void> {
    this.onDispose();
    await this.flushing;
    try {
      await this.sink.shutdown();
    } catch {
      // as above
    }
  }
}

/** The telemetry when APPLICATIONINSIGHTS_CONNECTION_STRING is not set: nothing is sent. */
export const noopAppTelemetry: Telemetry = {
  enabled: false,
  runFinished: () => undefined,
  exception: () => undefined,
  dependency: () => undefined,
  flush: () => Promise.resolve(),
  dispose: () => Promise.resolve(),
};
