// Devices: parsing 'cpu' / 'cuda' / 'cuda:N', the default device, and what the backends report about themselves.
import { DeviceError, ValueError } from './errors';
import { native, type NativeCpuInfo } from './native';
import { MAX_CPU_THREADS } from './thread_env';

export type Device = string;

export interface CudaDeviceInfo {
  index: number;
  name: string;
  totalMemory: number;
  computeCapability: string;
}

export interface BackendInfo {
  /**
   * cachedBytes: freed host blocks kept for reuse (bounded by TENSORNODE_CPU_CACHE_MB). engine: what runs conv and
   * pooling ('onednn' when built with it, unless TENSORNODE_CPU_ENGINE=fallback or setCpuEngine chose the im2col +
   * GEMM fallback). blasCoreType: OpenBLAS's kernel family. threading: how the libraries share our one pool.
   */
  cpu: NativeCpuInfo & { compiled: true; usable: true };
  cuda: {
    /** The CUDA module (tensornode_cuda.so) exists beside the addon. */
    compiled: boolean;
    /** The module was loaded (its CUDA kernels are registered); false when absent or when dlopen failed. */
    loaded?: boolean;
    /** Where the module was looked for. */
    module?: string;
    usable: boolean;
    reason?: string;
    runtimeVersion?: number;
    driverVersion?: number;
    cublasVersion?: number;
    cudnnVersion?: number;
    tf32?: boolean;
    devices: CudaDeviceInfo[];
  };
}

/** Which backends this build has and which are usable now (with the reason when CUDA is not). */
export function backendInfo(): BackendInfo {
  const raw = native.backendInfo();
  const cuda = { devices: [], ...JSON.parse(raw.cudaJson) };
  return { cpu: { ...raw.cpu, compiled: true, usable: true }, cuda };
}

/** Lists the usable CUDA devices (empty without a GPU). */
export function cudaDevices(): CudaDeviceInfo[] {
  const info = backendInfo().cuda;
  return info.usable ? info.devices : [];
}

/** Canonical device name: 'cpu' or 'cuda:N' ('cuda' means 'cuda:0'). Throws DeviceError for anything else. */
export function normalizeDevice(d: unknown, what = 'device'): Device {
  if (d === 'cpu') return 'cpu';
  if (d === 'cuda') return 'cuda:0';
  if (typeof d === 'string' && /^cuda:\d{1,3}$/.test(d)) return `cuda:${Number(d.slice(5))}`;
  throw new DeviceError(`${what}: unknown device ${JSON.stringify(d)} (expected 'cpu', 'cuda' or 'cuda:N')`);
}

let defaultDevice: Device | null = null;

/** The best usable device: the first GPU when CUDA is usable, else 'cpu' (TENSORNODE_DEVICE overrides). */
export function bestDevice(): Device {
  if (process.env.TENSORNODE_DEVICE) return normalizeDevice(process.env.TENSORNODE_DEVICE, 'TENSORNODE_DEVICE');
  return cudaDevices().length > 0 ? 'cuda:0' : 'cpu';
}

export function getDefaultDevice(): Device {
  if (defaultDevice === null) defaultDevice = bestDevice();
  return defaultDevice;
}

export function setDefaultDevice(d: Device): void {
  defaultDevice = normalizeDevice(d, 'setDefaultDevice');
}

/**
 * Waits for all queued work on a device (blocking); throws the first error this environment's kernels raised that
 * no read has reported yet (each failed output also rejects its own reads).
 */
export function synchronize(d: Device = getDefaultDevice()): void {
  native.sync(normalizeDevice(d, 'synchronize'));
}

/**
 * Resolves once the device's queue is at or below half its bounds (at once when it already is): await it in a
 * producer loop to keep the queue short without blocking the event loop (op calls past the bounds would wait).
 */
export function whenReady(d: Device = getDefaultDevice()): Promise<void> {
  return native.whenReady(normalizeDevice(d, 'whenReady'));
}

/** Threads used by CPU kernels, BLAS and oneDNN (default: all cores, or TENSORNODE_NUM_THREADS). */
export function setNumThreads(n: number): void {
  if (!Number.isInteger(n) || n < 1 || n > MAX_CPU_THREADS) {
    throw new ValueError(`setNumThreads: expected an integer in [1, ${MAX_CPU_THREADS}], got ${n}`);
  }
  native.setNumThreads(n);
}

/**
 * Selects the CPU GEMM behind matmul and the fallback convolution: 'openblas', 'onednn' or 'builtin' (the packed
 * kernel that serves machines without OpenBLAS), among those the build has. TENSORNODE_GEMM sets the initial choice.
 */
export function setCpuGemm(gemm: 'openblas' | 'onednn' | 'builtin'): void {
  if (gemm !== 'openblas' && gemm !== 'onednn' && gemm !== 'builtin') {
    throw new ValueError(`setCpuGemm: expected 'openblas', 'onednn' or 'builtin', got ${JSON.stringify(gemm)}`);
  }
  native.setCpuGemm(gemm);
}

/**
 * Selects the CPU engine for convolution and pooling: 'onednn' (the default when the build found oneDNN) or
 * 'fallback' (im2col + GEMM and the built-in pooling loops). TENSORNODE_CPU_ENGINE sets the initial choice.
 * Applies to kernels that run after the call (queued ones included).
 */
export function setCpuEngine(engine: 'onednn' | 'fallback'): void {
  if (engine !== 'onednn' && engine !== 'fallback') {
    throw new ValueError(`setCpuEngine: expected 'onednn' or 'fallback', got ${JSON.stringify(engine)}`);
  }
  native.setCpuEngine(engine);
}

/** Enables TF32 tensor-core math for CUDA matmul and conv (default off: full fp32 precision). */
export function setTF32(enabled: boolean): void {
  native.setTF32(!!enabled);
}

/**
 * Returns a CUDA device's unused pooled memory to the driver (like torch.cuda.empty_cache): waits for the device's
 * queued work first. Tensors still alive keep their memory. A no-op for 'cpu' and where the CUDA module is absent;
 * DeviceError for a GPU that is not usable.
 */
export function emptyCache(d: Device = getDefaultDevice()): void {
  native.emptyCache(normalizeDevice(d, 'emptyCache'));
}

/** Lets cuDNN benchmark algorithms per shape (like torch.backends.cudnn.benchmark; default off: heuristics). */
export function setCudnnBenchmark(enabled: boolean): void {
  native.setCudnnBenchmark(!!enabled);
}
