// Loads the compiled addon and types its entry points; every call's native error becomes a typed JS error.
import * as fs from 'fs';
import * as path from 'path';

import { rethrowNative } from './errors';
import { applyLibraryThreadDefaults, normalizeThreadEnv } from './thread_env';

/**
 * Handle of a native storage (device memory owned by reference count): a number naming a slot of the addon's storage
 * table. Numbers, not objects: a handle costs no JS object and no native finalizer. `dispose(handle)` drops it; a
 * disposed handle is refused by every entry point (DisposedError), even after its slot is reused.
 */
export type NativeStorage = number;

export type AttrValue = number | boolean | string | number[];
export type Attrs = Record<string, AttrValue | undefined>;

/** What the CPU backend reports about itself (lib/device.ts's BackendInfo.cpu). */
export interface NativeCpuInfo {
  compiled: boolean;
  usable: boolean;
  /** The GEMM in use: 'openblas', 'onednn' or 'builtin' (TENSORNODE_GEMM / setCpuGemm). */
  blas: string;
  blasCoreType: string;
  threads: number;
  cachedBytes: number;
  engine: 'onednn' | 'fallback';
  /** kernelsRun / kernelsDeclined: conv and pool kernels oneDNN ran, or left to the fallback, since start. */
  onednn: { compiled: boolean; version: string; isa: string; runtime: string; kernelsRun: number; kernelsDeclined: number };
  threading: string;
}

interface NativeAddon {
  /**
   * Runs the kernel call packed in the call buffer (lib/engine/kernel.ts's layout) with `attrs` as a flat
   * [name, value, ...] array; writes the new outputs' handles to the buffer's first slots and returns their count.
   */
  call(attrs: unknown[] | undefined): number;
  /** Registers the Float64Array that `call` reads (once per environment, again when it grows). */
  setCallBuffer(buffer: Float64Array): void;
  /** The process-wide id of a kernel name. */
  opId(op: string): number;
  /** A device's code in packed calls (0: cpu, k: cuda:k-1); throws DeviceError for an unknown device. */
  deviceCode(device: string): number;
  /**
   * The same call from plain values (for tools and tests; lib packs its calls): specs [storage|null, dtypeCode,
   * shape, ...], inputs first; attrs an object or a flat array. Returns the new outputs' handles.
   */
  run(op: string, device: string, specs: unknown[], nInputs: number, attrs: Attrs | unknown[] | undefined): NativeStorage[];
  dispose(storage: NativeStorage): void;
  kernels(device: string): string[];
  fromHost(device: string, data: ArrayBufferView): NativeStorage;
  read(storage: NativeStorage, offset: number, nbytes: number): Promise<ArrayBuffer>;
  readSync(storage: NativeStorage, offset: number, nbytes: number): ArrayBuffer;
  sync(device: string): void;
  queueStats(device: string): { kernels: number; bytes: number; queueOnlyBytes: number };
  whenReady(device: string): Promise<void>;
  copyTo(storage: NativeStorage, nbytes: number, device: string): NativeStorage;
  backendInfo(): { cpu: NativeCpuInfo; cudaJson: string };
  setNumThreads(n: number): void;
  setCpuEngine(name: string): void;
  setCpuGemm(name: string): void;
  setTF32(enabled: boolean): void;
  setCudnnBenchmark(enabled: boolean): void;
  emptyCache(device: string): void;
}

/** The package root: the nearest directory above this file whose package.json names tensornode. */
function packageRoot(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const pkg = path.join(dir, 'package.json');
    if (fs.existsSync(pkg) && JSON.parse(fs.readFileSync(pkg, 'utf8')).name === 'tensornode') return dir;
    if (path.dirname(dir) === dir) return path.resolve(__dirname, '..');
  }
}

function findAddon(): string {
  const root = packageRoot();
  const candidates = [
    process.env.TENSORNODE_ADDON && path.resolve(process.env.TENSORNODE_ADDON),
    path.join(root, 'build', 'Release', 'tensornode.node'),
    path.join(root, 'build', 'Debug', 'tensornode.node'),
  ].filter((p): p is string => !!p);
  const found = candidates.find((p) => fs.existsSync(p));
  if (!found) {
    throw new Error(`tensornode: native addon not found (looked in ${candidates.join(', ')}); run 'npm install' or 'npm run build:native'`);
  }
  return found;
}

const threadWarning = normalizeThreadEnv();
if (threadWarning) process.emitWarning(threadWarning, { code: 'TENSORNODE_NUM_THREADS' });
applyLibraryThreadDefaults();
// eslint-disable-next-line @typescript-eslint/no-var-requires
/** The raw addon: its read() returns the bytes themselves when it could read at once (see native.read). */
type RawAddon = Omit<NativeAddon, 'read'> & { read(storage: NativeStorage, offset: number, nbytes: number): Promise<ArrayBuffer> | ArrayBuffer };
const addon: RawAddon = require(findAddon());

function wrap<F extends (...args: never[]) => unknown>(fn: F): F {
  return ((...args: Parameters<F>) => {
    try {
      return fn(...args);
    } catch (e) {
      rethrowNative(e);
    }
  }) as F;
}

/** The addon with every entry point mapping native errors to typed errors. */
export const native: NativeAddon = {
  // Written out rather than wrap()ped: this runs for every kernel call.
  call: (attrs) => {
    try {
      return addon.call(attrs);
    } catch (e) {
      rethrowNative(e);
    }
  },
  setCallBuffer: wrap(addon.setCallBuffer),
  opId: wrap(addon.opId),
  deviceCode: wrap(addon.deviceCode),
  run: wrap(addon.run),
  dispose: addon.dispose,
  kernels: wrap(addon.kernels),
  fromHost: wrap(addon.fromHost),
  read: (storage, offset, nbytes) => {
    let r: Promise<ArrayBuffer> | ArrayBuffer;
    try {
      r = addon.read(storage, offset, nbytes);
    } catch (e) {
      rethrowNative(e);
    }
    // Read at once (a small read on an idle stream): settled on the next event-loop turn, as a queued read is, so
    // a loop of `await data()` still lets timers and I/O run between its steps.
    if (r instanceof ArrayBuffer) return new Promise((resolve) => setImmediate(resolve, r));
    return r.catch(rethrowNative);
  },
  readSync: wrap(addon.readSync),
  sync: wrap(addon.sync),
  queueStats: wrap(addon.queueStats),
  whenReady: wrap(addon.whenReady),
  copyTo: wrap(addon.copyTo),
  backendInfo: wrap(addon.backendInfo),
  setNumThreads: wrap(addon.setNumThreads),
  setCpuEngine: wrap(addon.setCpuEngine),
  setCpuGemm: wrap(addon.setCpuGemm),
  setTF32: wrap(addon.setTF32),
  setCudnnBenchmark: wrap(addon.setCudnnBenchmark),
  emptyCache: wrap(addon.emptyCache),
};
