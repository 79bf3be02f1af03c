/**
 * The Bicep template's part of a safe first deployment (issue 16, item 7; docs/deploy.md §9): a
 * fresh deploy sets RECONCILE_MODE=plan, so the timer only reports until an admin chooses apply with
 * the `reconcileMode` parameter, which allows only the two values src/app/reconcile-mode.ts reads.
 * The template is read as text (no Bicep compiler here); the patterns pin the declarations.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_RECONCILE_MODE, RECONCILE_MODES } from '../../src/app/reconcile-mode.js';

const bicep = readFileSync(new URL('../../docs/deploy/main.bicep', import.meta.url), 'utf8');
const example = JSON.parse(readFileSync(new URL('../../docs/deploy/main.parameters.example.json', import.meta.url), 'utf8')) as {
  parameters: Record<string, { value: unknown }>;
};

/** The site's app settings, name → value expression, as the template writes them. */
function appSettings(): Map<string, string> {
  const block = /appSettings: \[\n([\s\S]*?)\n\s*\]/.exec(bicep)?.[1] ?? '';
  return new Map([...block.matchAll(/\{ name: '([^']+)', value: (.+) \}/g)].map((m) => [m[1]!, m[2]!]));
}

describe('docs/deploy/main.bicep: RECONCILE_MODE', () => {
  it('the app setting comes from the reconcileMode parameter', () => {
    expect(appSettings().get('RECONCILE_MODE')).toBe('reconcileMode');
  });

  it('the parameter defaults to plan and allows exactly the two modes the app reads', () => {
    const declaration = /@allowed\(\[([^\]]*)\]\)\nparam reconcileMode string = '([^']*)'/.exec(bicep);
    expect(declaration, 'an @allowed list right above `param reconcileMode string = …`').not.toBeNull();
    expect(declaration![1]!.split(',').map((v) => v.trim().replace(/'/g, ''))).toEqual([...RECONCILE_MODES]);
    expect(declaration![2]).toBe(DEFAULT_RECONCILE_MODE);
    expect(DEFAULT_RECONCILE_MODE).toBe('plan');
  });

  it('the example parameters file a first deployment copies says plan', () => {
    expect(example.parameters.reconcileMode).toEqual({ value: 'plan' });
  });

  it('every parameter of the example file is declared by the template', () => {
    for (const name of Object.keys(example.parameters)) expect(bicep, name).toMatch(new RegExp(`^param ${name} `, 'm'));
  });
});
