// The key and value spelling of the tfjs layers-model format: model.json is snake_case ("class_name",
// "kernel_initializer", "glorot_uniform"), the in-memory configs camelCase; names and graph references stay as they are.

export function toSnakeCase(name: string): string {
  const s = name.replace(/(.)([A-Z][a-z0-9]+)/g, '$1_$2').replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();
  return s.startsWith('_') ? `private${s}` : s;
}

export function toCamelCase(name: string): string {
  if (name.length <= 1 || !name.includes('_')) return name;
  return name.replace(/_+(\w|$)/g, (_m, c: string) => c.toUpperCase());
}

/** Layer names at the head of graph references ([layer, node, tensor, ...]) keep their spelling. */
const isGraphName = (key: string | undefined, index: number, item: unknown): boolean =>
  (key === 'inboundNodes' || key === 'inputLayers' || key === 'outputLayers') && index === 0 && typeof item === 'string';

function convert(v: unknown, key: string | undefined, keyFn: (k: string) => string, valueFn: (s: string) => string, camelKey: (k: string) => string): unknown {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return valueFn(v);
  if (typeof v === 'number' || typeof v === 'boolean') return v;
  if (Array.isArray(v)) return v.map((item, i) => (isGraphName(key, i, item) ? item : convert(item, key, keyFn, valueFn, camelKey)));
  const out: Record<string, unknown> = {};
  for (const [k, val] of Object.entries(v as Record<string, unknown>)) {
    const ck = camelKey(k);
    const value = (ck === 'name' || ck === 'className') && typeof val === 'string' ? val : convert(val, ck, keyFn, valueFn, camelKey);
    // An own property even for the key '__proto__' (a file's JSON may hold one): assignment would set the prototype.
    Object.defineProperty(out, keyFn(k), { value, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/** In-memory (camelCase) config -> model.json spelling. */
export function toPythonic(config: unknown): unknown {
  return convert(config, undefined, toSnakeCase, toSnakeCase, (k) => k);
}

/** model.json spelling -> in-memory (camelCase) config. */
export function fromPythonic(config: unknown): unknown {
  return convert(config, undefined, toCamelCase, toCamelCase, toCamelCase);
}
