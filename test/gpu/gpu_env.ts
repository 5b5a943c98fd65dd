// GPU test gate: decides once whether cuda:0 is usable and gives describeGpu, which skips with a visible reason when not.
import * as fs from 'fs';
import * as tn from '../../lib';

export const CPU = 'cpu';

/**
 * TENSORNODE_GPU_SELFTEST=1 runs the suite with 'cpu' standing in for the GPU (CPU vs CPU), to check the harness
 * itself on a machine without a GPU; tests that need real device memory skip in that mode.
 */
export const selfTest = process.env.TENSORNODE_GPU_SELFTEST === '1';
export const GPU = selfTest ? CPU : 'cuda:0';

function probe(): { usable: boolean; reason: string } {
  let info: tn.BackendInfo['cuda'];
  try {
    info = tn.backendInfo().cuda;
  } catch (e) {
    return { usable: false, reason: `backendInfo() threw: ${(e as Error).message}` };
  }
  if (!info.usable) {
    const why = (info.reason ?? 'no reason given').replace(/^not compiled:\s*/, '');
    return { usable: false, reason: `CUDA ${info.compiled ? 'compiled but not usable' : 'not compiled'}: ${why}` };
  }
  if (info.devices.length === 0) return { usable: false, reason: 'CUDA usable but backendInfo() lists no devices' };
  return { usable: true, reason: '' };
}

const probed = selfTest ? { usable: true, reason: '' } : probe();

/** True when cuda:0 can run kernels; every GPU test runs only then. */
export const gpuUsable = probed.usable;
/** Why the GPU suite is skipped ('' when it runs). */
export const skipReason = probed.reason;

/**
 * TENSORNODE_REQUIRE_GPU=1 (set it on GPU hosts) turns a skip into a failure, so that a CPU-only build or a broken
 * driver on a GPU host cannot pass the suite by skipping it.
 */
const requireGpu = process.env.TENSORNODE_REQUIRE_GPU === '1';
const driverPresent = fs.existsSync('/proc/driver/nvidia/version');

/** `describe` on a usable GPU, `describe.skip` otherwise. */
export const describeGpu: jest.Describe = gpuUsable ? describe : describe.skip;
/** For tests that need a real CUDA device (memory limits, transfers): also skipped in self-test mode. */
export const describeRealGpu: jest.Describe = gpuUsable && !selfTest ? describe : describe.skip;

/**
 * Declares the visible marker of this file's gate: without a GPU, a passing test named after the skip reason (and one
 * warning); with TENSORNODE_REQUIRE_GPU=1, a failing one. With a GPU, a test that names the device.
 */
export function reportGpuGate(file: string): void {
  if (selfTest) {
    test('GPU suite in self-test mode: cpu stands in for cuda:0 (TENSORNODE_GPU_SELFTEST=1)', () => {
      console.warn(`[${file}] self-test mode: comparing CPU with CPU; real-GPU tests are skipped`);
    });
    return;
  }
  if (gpuUsable) {
    test(`GPU suite runs on ${GPU}`, () => {
      const dev = tn.cudaDevices()[0];
      expect(dev).toBeDefined();
      expect(dev.totalMemory).toBeGreaterThan(0);
    });
    return;
  }
  const hint = driverPresent ? ' (an NVIDIA driver is present on this host: is this a CUDA-enabled build?)' : '';
  test(`GPU suite skipped: ${skipReason}${hint}`, () => {
    console.warn(`[${file}] GPU suite skipped: ${skipReason}${hint}`);
    if (requireGpu) throw new Error(`TENSORNODE_REQUIRE_GPU=1 but no usable GPU: ${skipReason}${hint}`);
  });
}

/**
 * Every tensor made in the GPU tests names its device: on a GPU host the default device is cuda:0, so an unnamed
 * "CPU reference" would silently run on the GPU and compare the GPU with itself.
 */
export function pinDefaultDeviceToCpu(): void {
  beforeAll(() => tn.setDefaultDevice(CPU));
}

/** Tensor count and bytes the memory tracker attributes to the GPU. */
export const gpuStats = (): { numTensors: number; numBytes: number } => tn.memory().devices[GPU] ?? { numTensors: 0, numBytes: 0 };

/** A small op on the GPU whose result is checked: proves the device is still usable. */
export async function smallOpWorks(): Promise<void> {
  const a = tn.tensor([1, 2, 3, 4], [2, 2], { device: GPU });
  const b = tn.matmul(a, a);
  expect(Array.from(await b.data())).toEqual([7, 10, 15, 22]);
  tn.dispose([a, b]);
}
