/** Validates Vega-Lite specs against the installed vega-lite's own JSON schema (ajv, draft-07). */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv } from 'ajv';

export type SpecValidator = (spec: unknown) => string[];

export function vegaLiteValidator(): SpecValidator {
  const require = createRequire(import.meta.url);
  const schema = JSON.parse(readFileSync(require.resolve('vega-lite/vega-lite-schema.json'), 'utf8')) as object;
  // strict: false — the schema uses keywords ajv's strict mode rejects (e.g. unions of types).
  const ajv = new Ajv({ strict: false, allErrors: true });
  // The formats the schema names (ajv-formats is not installed): colours checked, URIs accepted.
  ajv.addFormat('color-hex', /^#(?:[0-9a-fA-F]{3,4}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})$/);
  ajv.addFormat('uri', true);
  ajv.addFormat('uri-reference', true);
  const validate = ajv.compile(schema);
  return (spec) => (validate(spec) ? [] : (validate.errors ?? []).slice(0, 5).map((e) => `${e.instancePath} ${e.message ?? ''}`));
}
