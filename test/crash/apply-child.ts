/**
 * The process the crash test kills: one apply of the real engine, built the way every entry point
 * builds it (loadSettings from the environment, createEngine with the default credential, i.e.
 * DefaultAzureCredential reading AZURE_* from the environment). The test passes the simulator's
 * env (and NODE_EXTRA_CA_CERTS, the run's CA) and kills this process with SIGKILL at a point of
 * its choosing. Prints one JSON line with the run's outcome if it lives that long.
 *
 *   node --import tsx test/crash/apply-child.ts
 */
import { loadSettings } from '../../src/families.js';
import { createEngine } from '../../src/engine/compose.js';

const settings = loadSettings(process.env);
const record = await createEngine(settings).run({ scope: { kind: 'tenant' }, dryRun: false, trigger: 'cli' });
process.stdout.write(`${JSON.stringify({ outcome: record.outcome, results: record.results.length })}\n`);
