/** config/load.ts compiles the schema without validating it (for start-up time); this is that check. */
import { Ajv } from 'ajv';
import { CONFIG_SCHEMA } from '../../src/config/schema.js';

it('the configuration schema is a valid JSON Schema', () => {
  const ajv = new Ajv({ strict: false });
  expect(ajv.validateSchema(CONFIG_SCHEMA)).toBe(true);
  expect(ajv.errors ?? null).toBeNull();
});
