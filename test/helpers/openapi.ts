// Responses checked against the OpenAPI document's own schemas (ajv, JSON Schema 2020-12).
import assert from 'node:assert/strict';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { openApiDocument } from '../../server/openapi.js';

export const ajv = new Ajv2020({ strict: false, allErrors: true });
ajv.addFormat('date', /^\d{4}-\d{2}-\d{2}$/);
ajv.addFormat('date-time', (s: string) => !Number.isNaN(Date.parse(s)));
ajv.addSchema({ ...openApiDocument, $id: 'api' } as object);

/** Fails with ajv's first errors unless `body` fits components.schemas[`schema`]. */
export function checkSchema(schema: string, body: unknown): void {
  const validate = ajv.getSchema(`api#/components/schemas/${schema}`)!;
  assert.ok(validate(body), JSON.stringify(validate.errors?.slice(0, 3)));
}
