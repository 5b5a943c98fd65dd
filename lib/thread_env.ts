// Process-wide threading settings applied before the addon loads: one thread pool (ours) governs every library.
/** The most CPU threads setNumThreads and TENSORNODE_NUM_THREADS accept (native/cpu/thread_pool.h has the same cap). */
export const MAX_CPU_THREADS = 1024;

/**
 * Validates TENSORNODE_NUM_THREADS: a whole number is clamped to [1, MAX_CPU_THREADS], anything else is dropped
 * (the default, all cores, applies); either way one warning says what was used. Returns the warning text, if any.
 */
export function normalizeThreadEnv(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const raw = env.TENSORNODE_NUM_THREADS;
  if (raw === undefined || raw === '') return undefined;
  const trimmed = raw.trim();
  if (!/^[+-]?\d+$/.test(trimmed)) {
    delete env.TENSORNODE_NUM_THREADS;
    return `TENSORNODE_NUM_THREADS=${JSON.stringify(raw)} is not a whole number; using the default (all cores)`;
  }
  const n = Number(trimmed);
  const clamped = Math.min(MAX_CPU_THREADS, Math.max(1, n));
  env.TENSORNODE_NUM_THREADS = String(clamped);
  return clamped === n ? undefined : `TENSORNODE_NUM_THREADS=${raw} is outside [1, ${MAX_CPU_THREADS}]; using ${clamped}`;
}

/**
 * Keeps the native libraries' own thread pools quiet: OpenBLAS runs single-threaded (our pool splits large GEMMs)
 * and oneDNN's OpenMP threads sleep instead of spinning between kernels. A value the user set is left alone.
 * Must run before the addon (and with it OpenBLAS and the OpenMP runtime) is loaded: they read these at load time.
 */
export function applyLibraryThreadDefaults(env: NodeJS.ProcessEnv = process.env): void {
  for (const [name, value] of Object.entries(LIBRARY_THREAD_DEFAULTS)) {
    if (env[name] === undefined) {
      env[name] = value;
      appliedDefaults.add(name);
    }
  }
}

const LIBRARY_THREAD_DEFAULTS: Record<string, string> = { OPENBLAS_NUM_THREADS: '1', OMP_WAIT_POLICY: 'PASSIVE' };
const appliedDefaults = new Set<string>();

/** The variables applyLibraryThreadDefaults set (not the user): child processes such as benchmark peers drop them. */
export function appliedLibraryThreadDefaults(): string[] {
  return [...appliedDefaults];
}
