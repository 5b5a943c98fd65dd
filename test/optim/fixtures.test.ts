// Optimizers vs torch.optim: 20-step trajectories from test/fixtures/optimizers.json, fed the fixture's gradients
// (the update rule alone) and end to end (our loss, autograd and update), within 1e-5 relative.
import * as fs from 'fs';
import * as path from 'path';
import * as tn from '../../lib';
import { optimizers } from '../../lib';
import { expectClose } from '../helpers/gradcheck';

interface Arr {
  shape: number[];
  data: number[];
}
interface Run {
  name: string;
  optimizer: keyof typeof optimizers;
  config: Record<string, number | boolean>;
  steps: { loss: number; grads: Arr[]; params: Arr[] }[];
}
const fixture = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'optimizers.json'), 'utf8'));
const runs: Run[] = fixture.cases;
const problem: Record<string, Arr> = fixture.problem;
const t = (a: Arr, requiresGrad = false) => tn.tensor(Float32Array.from(a.data), a.shape, { requiresGrad });

// Our defaults are tfjs's; the fixtures were made with torch.optim's defaults and rules, which differ here.
const torchDefaults: Partial<Record<keyof typeof optimizers, Record<string, number | boolean>>> = {
  adam: { eps: 1e-8 },
  adamw: { eps: 1e-8 },
  adagrad: { eps: 1e-10, initialAccumulatorValue: 0, epsilonInsideSqrt: false },
  rmsprop: { alpha: 0.99, eps: 1e-8, epsilonInsideSqrt: false },
};
const make = (run: Run) => optimizers[run.optimizer]({ ...torchDefaults[run.optimizer], ...run.config } as never);

describe('optimizer update rules vs torch.optim (fixture gradients)', () => {
  test.each(runs.map((r) => [r.name, r] as const))('%s', async (_n, run) => {
    const opt = make(run);
    const w = t(problem.w0, true);
    const b = t(problem.b0, true);
    for (const step of run.steps) {
      opt.applyGradients([
        { param: w, grad: t(step.grads[0]) },
        { param: b, grad: t(step.grads[1]) },
      ]);
      expectClose(await w.data(), step.params[0].data, 1e-5, 1e-6);
      expectClose(await b.data(), step.params[1].data, 1e-5, 1e-6);
    }
    expect(opt.iterations).toBe(20);
    opt.dispose();
  });
});

describe('optimizers end to end vs torch.optim (our loss and autograd)', () => {
  const loss = (w: tn.Tensor, b: tn.Tensor): tn.Tensor => {
    const quad = tn.mul(tn.sum(tn.mul(t(problem.a), tn.square(tn.sub(w, t(problem.c))))), 0.5);
    return tn.add(quad, tn.sum(tn.mul(t(problem.t), tn.tanh(tn.add(tn.matmul(t(problem.x), w), b)))));
  };
  test.each(runs.filter((_, i) => i % 2 === 0).map((r) => [r.name, r] as const))('%s', async (_n, run) => {
    const opt = make(run);
    const w = t(problem.w0, true);
    const b = t(problem.b0, true);
    for (const step of run.steps) {
      const l = opt.minimize(() => loss(w, b), [w, b], true)!;
      expect((await l.data())[0]).toBeCloseTo(step.loss, 4);
      expectClose(await w.data(), step.params[0].data, 1e-4, 1e-5);
      expectClose(await b.data(), step.params[1].data, 1e-4, 1e-5);
    }
  });
});
