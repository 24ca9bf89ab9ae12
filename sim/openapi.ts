/**
 * Checking requests against GitHub's own REST description (@octokit/openapi): the operation must exist
 * for that method and path, and a JSON body must satisfy the operation's request-body schema.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

const require = createRequire(import.meta.url);
type Spec = {
  paths: Record<
    string,
    Record<string, { operationId?: string; requestBody?: { required?: boolean; content?: Record<string, { schema?: unknown }> } }>
  >;
};

let loaded: { spec: Spec; ajv: Ajv } | undefined;
function load() {
  if (!loaded) {
    // Only the api.github.com description: the whole package is hundreds of MB.
    const spec = JSON.parse(readFileSync(require.resolve('@octokit/openapi/generated/api.github.com.json'), 'utf8')) as Spec;
    dropUntypedNullable(spec);
    const ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false, validateFormats: true });
    (addFormatsModule as unknown as (a: Ajv) => void)(ajv);
    ajv.addSchema(spec, 'gh');
    loaded = { spec, ajv };
  }
  return loaded;
}

const validators = new Map<string, ValidateFunction>();

/** Returns the problems with a request, empty when GitHub's description accepts it. */
export function checkRequest(method: string, template: string, body: unknown): string[] {
  const { spec, ajv } = load();
  const operation = spec.paths[template]?.[method.toLowerCase()];
  if (!operation) return [`${method} ${template} is not an operation of GitHub's REST API`];
  const media = operation.requestBody?.content?.['application/json'];
  if (!media?.schema) return [];
  if (body === undefined || body === null || body === '')
    return operation.requestBody?.required ? [`${method} ${template} requires a JSON body`] : [];
  const key = `${method} ${template}`;
  let validate = validators.get(key);
  if (!validate) {
    const pointer = `#/paths/${template.replace(/~/g, '~0').replace(/\//g, '~1')}/${method.toLowerCase()}/requestBody/content/application~1json/schema`;
    validate = ajv.compile({ $ref: `gh${pointer}` });
    validators.set(key, validate);
  }
  if (validate(body)) return [];
  return (validate.errors ?? []).map(
    (e) =>
      `${key}: body${e.instancePath} ${e.message}${'allowedValues' in e.params ? ` (${(e.params.allowedValues as unknown[]).join(', ')})` : ''}`,
  );
}

/** OpenAPI 3.0 allows `nullable` beside `allOf`/`anyOf` without `type`; Ajv does not. There it means "or null". */
function dropUntypedNullable(node: unknown): void {
  if (Array.isArray(node)) {
    node.forEach(dropUntypedNullable);
    return;
  }
  if (!node || typeof node !== 'object') return;
  const o = node as Record<string, unknown>;
  if (o.nullable === true && o.type === undefined) {
    delete o.nullable;
    const alternatives = (o.anyOf ?? o.oneOf) as unknown[] | undefined;
    if (alternatives) alternatives.push({ type: 'null' });
    else if (o.allOf) {
      o.anyOf = [{ allOf: o.allOf }, { type: 'null' }];
      delete o.allOf;
    }
  }
  for (const value of Object.values(o)) dropUntypedNullable(value);
}
