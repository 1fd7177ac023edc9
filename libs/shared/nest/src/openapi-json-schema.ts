import type { SchemaObject } from '@nestjs/swagger';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const isObject = (value: Json | undefined): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

// Assertions OpenAPI 3.0 has no word for; the server still checks them (validate-model.ts).
const UNSUPPORTED = new Set(['$schema', '$id', '$comment', 'contains', 'minContains', 'maxContains']);

/**
 * A JSON Schema (draft 2020-12, as the domain validates with) as OpenAPI 3.0 component schemas:
 * `$defs` become components named after the root (`ModelDocument` + `question` ->
 * `ModelDocumentQuestion`), `const` an enum of one, numeric exclusive bounds the 3.0 booleans;
 * `contains` is left out, and with it the definitions only it used. Definitions that are neither
 * objects nor unions are written in place.
 */
export function jsonSchemaAsComponents(name: string, schema: JsonObject): Record<string, SchemaObject> {
  const definitions = isObject(schema.$defs) ? schema.$defs : {};
  const componentName = (definition: string) => `${name}${definition.charAt(0).toUpperCase()}${definition.slice(1)}`;
  const inlined = (definition: JsonObject) => definition.type !== 'object' && !definition.oneOf && !definition.anyOf && !JSON.stringify(definition).includes('"$ref"');
  const used = new Set<string>();

  const translate = (node: Json): Json => {
    if (Array.isArray(node)) return node.map(translate);
    if (!isObject(node)) return node;
    if (typeof node.$ref === 'string' && node.$ref.startsWith('#/$defs/')) {
      const definition = node.$ref.slice('#/$defs/'.length);
      const target = definitions[definition];
      if (isObject(target) && inlined(target)) return translate(target);
      used.add(definition);
      return { $ref: `#/components/schemas/${componentName(definition)}` };
    }
    const result: JsonObject = {};
    for (const [key, value] of Object.entries(node)) {
      if (UNSUPPORTED.has(key) || key === '$defs') continue;
      if (key === 'const') result.enum = [value];
      else if ((key === 'exclusiveMinimum' || key === 'exclusiveMaximum') && typeof value === 'number') {
        result[key === 'exclusiveMinimum' ? 'minimum' : 'maximum'] = value;
        result[key] = true;
      } else if (key === 'properties' && isObject(value)) result[key] = Object.fromEntries(Object.entries(value).map(([property, child]) => [property, translate(child)]));
      else result[key] = translate(value);
    }
    // An allOf whose every part was a `contains` says nothing any more.
    if (Array.isArray(result.allOf)) {
      const parts = result.allOf.filter((part) => !isObject(part) || Object.keys(part).length > 0);
      if (parts.length > 0) result.allOf = parts;
      else delete result.allOf;
    }
    return result;
  };

  const components: Record<string, SchemaObject> = { [name]: translate(schema) as SchemaObject };
  // Definitions reach others; translate until no new one turns up.
  for (let done = 0; done < used.size; ) {
    const pending = [...used].slice(done);
    done = used.size;
    for (const definition of pending) components[componentName(definition)] = translate(definitions[definition]) as SchemaObject;
  }
  return components;
}
