// Replays the PyTorch reference fixtures (test/fixtures/ops/*.json): forward output and gradients of every public op.
import * as fs from 'fs';
import * as path from 'path';

import * as tn from '../../lib/index';

/** One stored tensor: flat row-major data. */
interface FixtureTensor {
  shape: number[];
  dtype: 'float32' | 'int32';
  data: number[];
}

/** One case; the format is documented in test/fixtures/README.md. */
interface FixtureCase {
  name: string;
  op: string;
  inputs: FixtureTensor[];
  inputList?: boolean;
  args: unknown[];
  options?: Record<string, unknown>;
  output: FixtureTensor;
  weight: FixtureTensor;
  grads: (FixtureTensor | null)[];
}

interface FixtureFile {
  generator: string;
  torch: string;
  cases: FixtureCase[];
}

/** The part of the Tensor API the replay needs. */
interface ReplayTensor {
  readonly shape: readonly number[];
  readonly grad: ReplayTensor | null | undefined;
  data(): Promise<ArrayLike<number>>;
  backward(gradient?: ReplayTensor): void;
}

type OpFn = (...args: unknown[]) => ReplayTensor;

// float32 results against a float64 reference: |actual - expected| <= ATOL + RTOL * |expected|.
const RTOL = 1e-4;
const ATOL = 1e-4;

const FIXTURE_DIR = path.join(__dirname, '..', 'fixtures', 'ops');

// Ops are looked up by the name stored in the fixture.
const api = new Map<string, unknown>(Object.entries(tn));

/** The exported op by name; a fixture whose op is missing fails rather than being skipped. */
function opFn(name: string): OpFn {
  const fn = api.get(name);
  if (typeof fn !== 'function') {
    throw new Error(`op '${name}' is not exported from lib/index.ts (a fixture in test/fixtures/ops needs it)`);
  }
  return fn as OpFn;
}

function makeTensor(t: FixtureTensor, requiresGrad: boolean): ReplayTensor {
  const build = opFn('tensor');
  return build(t.data, t.shape, { dtype: t.dtype, requiresGrad });
}

/** JSON has no undefined: null in args stands for an argument left undefined (e.g. axis in sum(x, undefined, true)). */
function decodeArg(a: unknown): unknown {
  return a === null ? undefined : a;
}

async function expectClose(what: string, actual: ReplayTensor, expected: FixtureTensor): Promise<void> {
  expect({ what, shape: Array.from(actual.shape) }).toEqual({ what, shape: expected.shape });
  const got = Array.from(await actual.data());
  expect(got.length).toBe(expected.data.length);
  const bad: string[] = [];
  for (let i = 0; i < got.length; i++) {
    const e = expected.data[i];
    if (!(Math.abs(got[i] - e) <= ATOL + RTOL * Math.abs(e))) {
      bad.push(`[${i}] got ${got[i]} expected ${e}`);
    }
  }
  if (bad.length > 0) {
    throw new Error(`${what}: ${bad.length}/${got.length} elements off (rtol ${RTOL}, atol ${ATOL}):\n  ${bad.slice(0, 8).join('\n  ')}`);
  }
}

async function replay(c: FixtureCase): Promise<void> {
  const fn = opFn(c.op);
  const inputs = c.inputs.map((t, i) => makeTensor(t, t.dtype === 'float32' && c.grads[i] !== null));
  const tensorArgs: unknown[] = c.inputList ? [inputs] : inputs;
  const call: unknown[] = [...tensorArgs, ...c.args.map(decodeArg)];
  if (c.options !== undefined) call.push(c.options);
  const y = fn(...call);
  await expectClose(`${c.name} output`, y, c.output);

  // Objective L = sum(y * R), so dL/dy = R: seeding backward with R gives exactly dL/d input
  // without making every op's case depend on the sum and mul ops as well.
  const r = makeTensor(c.weight, false);
  y.backward(r);
  for (let i = 0; i < c.inputs.length; i++) {
    const expected = c.grads[i];
    if (expected === null) continue;
    const g = inputs[i].grad;
    if (g === null || g === undefined) {
      throw new Error(`${c.name}: input ${i} has no .grad after backward()`);
    }
    await expectClose(`${c.name} grad of input ${i}`, g, expected);
  }
}

const files = fs.readdirSync(FIXTURE_DIR).filter((f) => f.endsWith('.json')).sort();

test('fixture files exist', () => {
  expect(files.length).toBeGreaterThan(0);
});

for (const file of files) {
  const doc = JSON.parse(fs.readFileSync(path.join(FIXTURE_DIR, file), 'utf8')) as FixtureFile;
  describe(`fixtures ${file}`, () => {
    for (const c of doc.cases) {
      test(c.name, async () => {
        await replay(c);
      });
    }
  });
}
