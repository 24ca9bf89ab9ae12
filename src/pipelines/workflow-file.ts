/**
 * What a workflow file says about being started by `workflow_dispatch`: whether it can be, and its inputs.
 * Another repository's file, so it goes through the guarded reader every YAML from outside does
 * (core/yaml.ts: nesting capped before parsing, aliases capped when expanded, a key written twice named).
 */
import { parseYaml } from '../core/yaml.js';

/** Aliases expanded at most: a workflow needs none, a billion-laughs file would need billions. */
const MAX_ALIASES = 100;

export interface DispatchInput {
  required: boolean;
  hasDefault: boolean;
}

export type WorkflowTrigger = { ok: true; dispatch: boolean; inputs: Record<string, DispatchInput> } | { ok: false; error: string };

export function readDispatchTrigger(text: string): WorkflowTrigger {
  const parsed = parseYaml(text);
  if (parsed.error) return { ok: false, error: `invalid YAML: ${parsed.error.message} (line ${parsed.error.line})` };
  const twice = parsed.duplicates[0];
  // GitHub refuses a workflow with a key written twice.
  if (twice) return { ok: false, error: `invalid YAML: \`${twice.path}\` is written twice (lines ${twice.first} and ${twice.second})` };
  let doc: unknown;
  try {
    doc = parsed.doc.toJS({ maxAliasCount: MAX_ALIASES });
  } catch (err) {
    return { ok: false, error: `invalid YAML: ${(err as Error).message.split('\n')[0]}` };
  }
  if (!isObject(doc)) return { ok: false, error: 'the workflow is not a mapping' };
  // YAML 1.1 readers turn an unquoted `on` into `true`; GitHub does not, but accept both.
  const on = doc.on ?? doc.true;
  if (on === undefined) return { ok: false, error: 'the workflow has no `on:`' };
  if (typeof on === 'string') return { ok: true, dispatch: on === 'workflow_dispatch', inputs: {} };
  if (Array.isArray(on)) return { ok: true, dispatch: on.includes('workflow_dispatch'), inputs: {} };
  if (!isObject(on) || !('workflow_dispatch' in on)) return { ok: true, dispatch: false, inputs: {} };
  const dispatch = on.workflow_dispatch;
  const declared = isObject(dispatch) && isObject(dispatch.inputs) ? dispatch.inputs : {};
  const inputs = Object.fromEntries(
    Object.entries(declared).map(([name, spec]) => [
      name,
      {
        required: isObject(spec) && spec.required === true,
        hasDefault: isObject(spec) && spec.default !== undefined && spec.default !== null,
      },
    ]),
  );
  return { ok: true, dispatch: true, inputs };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
