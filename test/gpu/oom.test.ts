// CUDA out-of-memory: catchable OutOfMemoryError, the device usable afterwards, the pool retried and emptied.
// Runs last among the GPU files (test/gpu_sequencer.js), in band, so filling the GPU starves no other test.
import * as tn from '../../lib';
import { describeRealGpu, GPU, gpuStats, pinDefaultDeviceToCpu, reportGpuGate, smallOpWorks } from './gpu_env';

reportGpuGate('oom.test.ts');
pinDefaultDeviceToCpu();

afterAll(() => {
  if (tn.cudaDevices().length > 0) tn.emptyCache(GPU);
});

describeRealGpu('out of memory', () => {
  test('a tensor twice the size of the GPU throws OutOfMemoryError and the device stays usable', async () => {
    const before = gpuStats();
    const total = tn.cudaDevices()[0].totalMemory;
    const elements = Math.ceil((total * 2) / 4);
    let caught: unknown = null;
    try {
      tn.zeros([elements], { device: GPU });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(tn.OutOfMemoryError);
    expect((caught as Error).message).toMatch(/cuda:0/);
    expect(gpuStats()).toEqual(before);
    await smallOpWorks();
  });

  test('an op whose output does not fit (matmul) throws OutOfMemoryError', async () => {
    const total = tn.cudaDevices()[0].totalMemory;
    // [n, 1] x [1, n] -> n*n floats, more than the device holds.
    const n = Math.ceil(Math.sqrt(total / 4) * 1.5);
    const a = tn.rand([n, 1], { device: GPU, seed: 1 });
    const b = tn.rand([1, n], { device: GPU, seed: 2 });
    expect(() => tn.matmul(a, b)).toThrow(tn.OutOfMemoryError);
    tn.dispose([a, b]);
    await smallOpWorks();
  });

  test('filling the device in 1 GiB blocks until OOM, then freeing them all, leaves room for one big block', async () => {
    const before = gpuStats();
    const total = tn.cudaDevices()[0].totalMemory;
    const block = 2 ** 28; // floats: 1 GiB
    const held: tn.Tensor[] = [];
    let oom: unknown = null;
    try {
      for (let i = 0; i < Math.ceil(total / 2 ** 30) + 2; i++) held.push(tn.zeros([block], { device: GPU }));
    } catch (e) {
      oom = e;
    }
    expect(oom).toBeInstanceOf(tn.OutOfMemoryError);
    expect(held.length).toBeGreaterThan(0);
    // The last block is really on the device and holds zeros.
    expect(Array.from(await tn.slice(held[held.length - 1], [block - 3], [3]).data())).toEqual([0, 0, 0]);
    tn.dispose(held);
    expect(gpuStats()).toEqual(before);
    // The pool keeps the freed blocks; one allocation of half the device must still be served from them.
    const half = tn.zeros([Math.floor(total / 2 / 4)], { device: GPU });
    expect(half.device).toBe(GPU);
    half.dispose();
    await smallOpWorks();
    // emptyCache hands the pool's unused memory back to the driver (for cuDNN/cuBLAS and whatever runs next).
    tn.emptyCache(GPU);
    await smallOpWorks();
  });
});

