/**
 * A HAR 1.2 validator from the har-schema package (the JSON Schema of the HAR 1.2 spec that
 * har-validator uses), compiled with Ajv. The schemas are draft-06 and name the formats
 * date-time, ipv4 and ipv6, given here from Node's own checks. The schema writes "min" where it
 * means "minimum", so the non-negative timings are checked by the tests themselves.
 */
import { createRequire } from 'node:module';
import { isIPv4, isIPv6 } from 'node:net';
import Ajv, { type ErrorObject } from 'ajv';

const require = createRequire(import.meta.url);

export function harValidator(): (har: unknown) => { valid: boolean; errors: ErrorObject[] } {
  const schemas = require('har-schema') as Record<string, object>;
  const ajv = new Ajv({
    allErrors: true,
    strict: false,
    formats: {
      'date-time': (text: string) => !Number.isNaN(Date.parse(text)) && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/.test(text),
      ipv4: (text: string) => isIPv4(text),
      ipv6: (text: string) => isIPv6(text),
    },
  });
  ajv.addMetaSchema(require('ajv/dist/refs/json-schema-draft-06.json') as object);
  for (const [name, schema] of Object.entries(schemas)) if (name !== 'har') ajv.addSchema(schema);
  const validate = ajv.compile(schemas.har ?? {});
  return (har) => {
    const valid = validate(har);
    return { valid, errors: validate.errors ?? [] };
  };
}
