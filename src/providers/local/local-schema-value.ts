/**
 * The local demo model's values for a JSON Schema (a json_schema answer, a tool call's arguments):
 * strings "demo" (or an example of their format), numbers 1 within their bounds, booleans true,
 * the first enum value, and objects with only their required properties.
 */
import { z } from 'zod';

/** The JSON Schema keywords the value builder reads; anything else in a schema is ignored. */
const ZSchemaNode = z.looseObject({
  type: z.union([z.string(), z.array(z.string())]).optional(),
  properties: z.record(z.string(), z.unknown()).optional(),
  required: z.array(z.string()).optional(),
  items: z.unknown().optional(),
  enum: z.array(z.unknown()).optional(),
  anyOf: z.array(z.unknown()).optional(),
  oneOf: z.array(z.unknown()).optional(),
  allOf: z.array(z.unknown()).optional(),
  $ref: z.string().optional(),
  format: z.string().optional(),
  minLength: z.number().optional(),
  maxLength: z.number().optional(),
  minimum: z.number().optional(),
  maximum: z.number().optional(),
  exclusiveMinimum: z.number().optional(),
  exclusiveMaximum: z.number().optional(),
  minItems: z.number().optional(),
});

const EXAMPLE_FORMATS: Record<string, string> = {
  'date-time': '2025-01-01T12:00:00Z',
  date: '2025-01-01',
  time: '12:00:00Z',
  email: 'demo@example.com',
  uri: 'https://example.com/',
  url: 'https://example.com/',
  uuid: '00000000-0000-4000-8000-000000000000',
};

/** Deep enough for real tool schemas, shallow enough that a recursive `$ref` ends. */
const MAX_SCHEMA_DEPTH = 8;

export function valueForSchema(schema: unknown, root: unknown, depth: number): unknown {
  const parsed = ZSchemaNode.safeParse(schema);
  if (!parsed.success || depth > MAX_SCHEMA_DEPTH) return null;
  const node = parsed.data;
  if (node.$ref !== undefined) return valueForSchema(resolveReference(root, node.$ref), root, depth + 1);
  if (Object.hasOwn(node, 'const')) return node.const;
  if (node.enum && node.enum.length > 0) return node.enum[0];
  const options = node.anyOf ?? node.oneOf;
  if (options && options.length > 0) {
    const option = options.find((candidate) => ZSchemaNode.safeParse(candidate).data?.type !== 'null');
    return valueForSchema(option ?? options[0], root, depth + 1);
  }
  if (node.allOf && node.allOf.length > 0) return valueForSchema(mergeAll(node.allOf), root, depth + 1);
  const types = Array.isArray(node.type) ? node.type : node.type ? [node.type] : [];
  const type = types.find((candidate) => candidate !== 'null') ?? types[0] ?? implicitType(node);
  switch (type) {
    case 'object': {
      const value: Record<string, unknown> = {};
      for (const key of node.required ?? []) {
        value[key] = valueForSchema(node.properties?.[key] ?? {}, root, depth + 1);
      }
      return value;
    }
    case 'array':
      return Array.from({ length: Math.max(1, node.minItems ?? 0) }, () =>
        valueForSchema(node.items ?? {}, root, depth + 1),
      );
    case 'integer':
    case 'number':
      return numberFor(node, type === 'integer');
    case 'boolean':
      return true;
    case 'null':
      return null;
    default: {
      const text = EXAMPLE_FORMATS[node.format ?? ''] ?? 'demo';
      return text
        .padEnd(node.minLength ?? 0, 'o')
        .slice(0, node.maxLength ?? text.length + (node.minLength ?? 0));
    }
  }
}

function implicitType(node: z.infer<typeof ZSchemaNode>): string {
  if (node.properties || node.required) return 'object';
  if (node.items) return 'array';
  return 'string';
}

function numberFor(node: z.infer<typeof ZSchemaNode>, integer: boolean): number {
  let value = 1;
  if (node.minimum !== undefined && value < node.minimum) value = node.minimum;
  if (node.exclusiveMinimum !== undefined && value <= node.exclusiveMinimum)
    value = node.exclusiveMinimum + 1;
  if (node.maximum !== undefined && value > node.maximum) value = node.maximum;
  if (node.exclusiveMaximum !== undefined && value >= node.exclusiveMaximum)
    value = node.exclusiveMaximum - 1;
  return integer ? Math.ceil(value) : value;
}

function mergeAll(schemas: unknown[]): Record<string, unknown> {
  const merged: Record<string, unknown> = {};
  const properties: Record<string, unknown> = {};
  const required: string[] = [];
  for (const schema of schemas) {
    const node = ZSchemaNode.safeParse(schema).data;
    if (!node) continue;
    Object.assign(merged, node);
    Object.assign(properties, node.properties);
    required.push(...(node.required ?? []));
  }
  return { ...merged, properties, required };
}

/** Local JSON pointers only (`#/$defs/Place`); anything else resolves to an empty schema. */
function resolveReference(root: unknown, reference: string): unknown {
  if (!reference.startsWith('#')) return {};
  let node: unknown = root;
  for (const raw of reference.slice(1).split('/').filter(Boolean)) {
    const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    node = node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined;
  }
  return node ?? {};
}
