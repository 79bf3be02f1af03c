#!/usr/bin/env node
// The `vendor-reconciler` command, a dev-time tool for operators' and developers' machines: it runs
// the TypeScript source through tsx (a dev dependency), so it needs no build step. The deployed
// Functions app runs the compiled dist/ and has neither tsx nor this command.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
