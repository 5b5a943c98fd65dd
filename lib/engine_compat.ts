// tfjs's tf.engine() and tf.backend(): the parts user code calls (closure-free scopes, keep, memory counts, the
// variable registry, backend switching), mapped onto tensornode's memory scopes, devices and variables.
import { getBackend, profile, ready, registeredBackends, setBackend, time, type ProfileInfo, type TimingInfo } from './environment';
import { ValueError } from './errors';
import { endScope, keep, memory, startScope, tidy, type MemoryInfo } from './memory';
import type { Tensor } from './tensor';
import { disposeVariables, registeredVariables, type Variable } from './variable';

/** The live counts tfjs keeps in engine().state (read at each access). */
export interface EngineState {
  readonly numTensors: number;
  readonly numBytes: number;
  readonly numDataBuffers: number;
  readonly registeredVariables: Record<string, Variable>;
}

/** Live storages and bytes on the active backend's devices ('cpu', or every 'cuda:N'). */
function backendCounts(): { numDataBuffers: number; numBytes: number } {
  const kind = getBackend();
  let numDataBuffers = 0;
  let numBytes = 0;
  for (const [device, s] of Object.entries(memory().devices)) {
    if (device === kind || device.startsWith(`${kind}:`)) {
      numDataBuffers += s.numDataBuffers;
      numBytes += s.numBytes;
    }
  }
  return { numDataBuffers, numBytes };
}

/** What tf.backend() returns: the active backend's common KernelBackend members. */
export class BackendCompat {
  /** 'cpu' or 'cuda' (tfjs-node's backend is 'tensorflow'). */
  get name(): string {
    return getBackend();
  }
  /** Float tensors are float32 on every backend here. */
  floatPrecision(): 16 | 32 {
    return 32;
  }
  /** The smallest useful float difference: 1e-7 for 32-bit floats (tfjs's constant). */
  epsilon(): number {
    return 1e-7;
  }
  /** Native storages alive on this backend's devices (a tensor and its views share one). */
  numDataIds(): number {
    return backendCounts().numDataBuffers;
  }
  /** Bytes held on this backend's devices; exact, so `unreliable` is false. */
  memory(): { unreliable: boolean; numBytes: number } {
    return { unreliable: false, numBytes: backendCounts().numBytes };
  }
  time(f: () => void): Promise<TimingInfo> {
    return time(f);
  }
}

const backendInstance = new BackendCompat();

/** The active backend (tfjs's tf.backend()). */
export function backend(): BackendCompat {
  return backendInstance;
}

/** What tf.engine() returns. */
export class EngineCompat {
  readonly state: EngineState = Object.freeze({
    get numTensors() {
      return memory().numTensors;
    },
    get numBytes() {
      return memory().numBytes;
    },
    get numDataBuffers() {
      return memory().numDataBuffers;
    },
    get registeredVariables() {
      return registeredVariables();
    },
  });

  get backendName(): string {
    return getBackend();
  }
  get backend(): BackendCompat {
    return backendInstance;
  }
  get registeredVariables(): Record<string, Variable> {
    return registeredVariables();
  }
  backendNames(): string[] {
    return registeredBackends();
  }
  ready(): Promise<void> {
    return ready();
  }
  setBackend(backendName: string): Promise<boolean> {
    return setBackend(backendName);
  }
  /** Opens a scope; every tensor made until the matching endScope() is disposed there unless returned or kept. */
  startScope(name?: string): void {
    startScope(name);
  }
  /** Closes the innermost startScope() scope; the tensors in `result` survive into the enclosing scope. */
  endScope(result?: unknown): void {
    endScope(result);
  }
  tidy<T>(nameOrFn: string | (() => T), fn?: () => T): T {
    return typeof nameOrFn === 'string' ? tidy(nameOrFn, fn as () => T) : tidy(nameOrFn);
  }
  keep<T extends Tensor>(result: T): T {
    return keep(result);
  }
  memory(): MemoryInfo {
    return memory();
  }
  disposeTensor(t: Tensor): void {
    if (!t || (t as { isTensor?: boolean }).isTensor !== true) throw new ValueError(`disposeTensor: expected a Tensor, got ${t === null ? 'null' : typeof t}`);
    if (!t.isDisposed) t.dispose();
  }
  disposeVariables(): void {
    disposeVariables();
  }
  disposeVariable(v: Variable): void {
    this.disposeTensor(v);
  }
  time(f: () => void): Promise<TimingInfo> {
    return time(f);
  }
  profile<T>(f: () => T | Promise<T>): Promise<ProfileInfo<T>> {
    return profile(f);
  }
}

const engineInstance = new EngineCompat();

/** The engine (tfjs's tf.engine()): one per process. */
export function engine(): EngineCompat {
  return engineInstance;
}
