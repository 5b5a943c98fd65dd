// tfjs's environment functions: getBackend/setBackend/ready (backends 'cpu' and 'cuda'), env() flags, version,
// prod/debug mode, and the timing helpers time() and nextFrame().
import { ValueError } from '../errors';
import { cudaDevices, getDefaultDevice, setDefaultDevice, synchronize } from '../device';
import { readFileSync } from 'fs';
import { memory } from '../memory';
import * as path from 'path';

/** The backend of the default device: 'cpu' or 'cuda'. */
export function getBackend(): 'cpu' | 'cuda' {
  return getDefaultDevice().startsWith('cuda') ? 'cuda' : 'cpu';
}

/**
 * Makes `backendName` the default ('cpu', 'cuda' or 'cuda:N'; tfjs-node's 'tensorflow' means the best device).
 * Resolves false when that backend is not usable here (as tfjs does for a backend that fails to initialise).
 */
export async function setBackend(backendName: string): Promise<boolean> {
  if (typeof backendName !== 'string') throw new ValueError(`setBackend: 'backendName' must be a string, got ${typeof backendName}`);
  const gpus = cudaDevices();
  if (backendName === 'cpu') {
    setDefaultDevice('cpu');
    return true;
  }
  if (backendName === 'tensorflow') {
    setDefaultDevice(gpus.length > 0 ? 'cuda:0' : 'cpu');
    return true;
  }
  const m = /^cuda(?::(\d+))?$/.exec(backendName);
  if (!m) throw new ValueError(`setBackend: unknown backend ${JSON.stringify(backendName)} (expected 'cpu', 'cuda', 'cuda:N' or 'tensorflow')`);
  const index = m[1] === undefined ? 0 : Number(m[1]);
  if (!gpus.some((g) => g.index === index)) return false;
  setDefaultDevice(`cuda:${index}`);
  return true;
}

/** Resolves once the backend is initialised (the backends here are ready when the module loads). */
export async function ready(): Promise<void> {}

/** The backends this build can use now, in order of preference (tfjs engine().registryFactory keys). */
export function registeredBackends(): string[] {
  return cudaDevices().length > 0 ? ['cuda', 'cpu'] : ['cpu'];
}

type FlagValue = number | boolean | string;

/** Flags by name (tfjs's Environment): get/set/getBool/getNumber; unknown flags throw as in tfjs. */
export class Environment {
  private readonly flags: Record<string, FlagValue> = {
    IS_BROWSER: false,
    IS_NODE: true,
    IS_TEST: false,
    PROD: false,
    DEBUG: false,
    EPSILON: 1e-7,
    CHECK_COMPUTATION_FOR_ERRORS: false,
    KEEP_INTERMEDIATE_TENSORS: false,
    TENSORLIKE_CHECK_SHAPE_CONSISTENCY: true,
    DEPRECATION_WARNINGS_ENABLED: true,
    IS_CHROME: false,
    IS_SAFARI: false,
  };
  readonly platformName = 'node';

  get(flag: string): FlagValue {
    if (!(flag in this.flags)) throw new ValueError(`Cannot evaluate flag '${flag}': no evaluation function found.`);
    return this.flags[flag];
  }
  getBool(flag: string): boolean {
    return this.get(flag) as boolean;
  }
  getNumber(flag: string): number {
    return this.get(flag) as number;
  }
  set(flag: string, value: FlagValue): void {
    if (!(flag in this.flags)) throw new ValueError(`Cannot set flag ${flag} as it has not been registered.`);
    this.flags[flag] = value;
  }
  getFlags(): Record<string, FlagValue> {
    return { ...this.flags };
  }
  setFlags(flags: Record<string, FlagValue>): void {
    for (const [k, v] of Object.entries(flags)) this.set(k, v);
  }
  /** tfjs's registerFlag: adds a flag with its value (the evaluation function runs once, now). */
  registerFlag(flagName: string, evaluationFn: () => FlagValue): void {
    this.flags[flagName] = evaluationFn();
  }
  reset(): void {
    this.flags.PROD = false;
    this.flags.DEBUG = false;
  }
}

const environment = new Environment();

/** The global Environment. */
export function env(): Environment {
  return environment;
}

/** Turns off debug checks (a flag here: the ops never run tfjs's debug checks). */
export function enableProdMode(): void {
  environment.set('PROD', true);
}

/** Sets the DEBUG flag (tfjs logs every kernel in this mode; here it is only recorded). */
export function enableDebugMode(): void {
  environment.set('DEBUG', true);
}

function packageVersion(): string {
  for (const up of ['..', '../..', '../../..']) {
    try {
      const pkg = JSON.parse(readFileSync(path.join(__dirname, up, 'package.json'), 'utf8'));
      if (pkg.name === 'tensornode') return String(pkg.version);
    } catch {
      // not at this level
    }
  }
  return 'unknown';
}

/** Versions (tfjs's tf.version has one entry per tfjs package; here the one package). */
export const version: Readonly<Record<string, string>> = Object.freeze({ tensornode: packageVersion() });

export interface TimingInfo {
  wallMs: number;
  kernelMs: number;
}

/** Runs f, waits for the default device's queued work, and reports the elapsed time (kernel time = wall time here). */
export async function time(f: () => void): Promise<TimingInfo> {
  const start = performance.now();
  f();
  synchronize();
  const wallMs = performance.now() - start;
  return { wallMs, kernelMs: wallMs };
}

/** Resolves on the next turn of the event loop (tfjs waits for an animation frame in browsers). */
export function nextFrame(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Logs a deprecation warning unless disableDeprecationWarnings() was called (tfjs's deprecationWarn). */
export function deprecationWarn(msg: string): void {
  if (environment.getBool('DEPRECATION_WARNINGS_ENABLED')) console.warn(`${msg} You can disable deprecation warnings with tf.disableDeprecationWarnings().`);
}

export function disableDeprecationWarnings(): void {
  environment.set('DEPRECATION_WARNINGS_ENABLED', false);
  console.warn('TensorFlow.js deprecation warnings have been disabled.');
}

export interface ProfileInfo<T> {
  newBytes: number;
  newTensors: number;
  peakBytes: number;
  kernels: { name: string }[];
  kernelNames: string[];
  result: T;
}

/**
 * Runs f and reports the tensors and bytes it left allocated (tfjs's profile). Per-kernel records are not kept here:
 * `kernels` is empty and peakBytes is the larger of the counts before and after.
 */
export async function profile<T>(f: () => T | Promise<T>): Promise<ProfileInfo<T>> {
  const before = memory();
  const result = await f();
  const after = memory();
  return {
    newBytes: after.numBytes - before.numBytes,
    newTensors: after.numTensors - before.numTensors,
    peakBytes: Math.max(before.numBytes, after.numBytes),
    kernels: [],
    kernelNames: [],
    result,
  };
}
