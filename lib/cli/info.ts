// `tensornode info`: versions, backends (and why CUDA is not usable), devices, CPU threads, BLAS and oneDNN.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { backendInfo, getDefaultDevice, type BackendInfo } from '../device';
import { println, type CliIO } from './io';

export interface InfoReport {
  tensornode: string;
  node: string;
  napi: string;
  platform: string;
  cpuCores: number;
  defaultDevice: string;
  backends: BackendInfo;
}

/** The version in tensornode's own package.json (searched upward, so it works from lib/ and dist/lib/). */
export function packageVersion(): string {
  for (let dir = __dirname; path.dirname(dir) !== dir; dir = path.dirname(dir)) {
    const f = path.join(dir, 'package.json');
    if (!fs.existsSync(f)) continue;
    const pkg = JSON.parse(fs.readFileSync(f, 'utf8')) as { name?: string; version?: string };
    if (pkg.name === 'tensornode') return pkg.version ?? 'unknown';
  }
  return 'unknown';
}

/** CUDA-style version integers as text: runtime/driver 13000 -> 13.0; cuBLAS/cuDNN 90100 -> 9.1.0. */
function cudaVersion(v: number | undefined): string {
  return v === undefined ? '?' : `${Math.floor(v / 1000)}.${Math.floor((v % 1000) / 10)}`;
}
function libVersion(v: number | undefined): string {
  return v === undefined ? '?' : `${Math.floor(v / 10000)}.${Math.floor((v % 10000) / 100)}.${v % 100}`;
}

export function collectInfo(): InfoReport {
  return {
    tensornode: packageVersion(),
    node: process.version,
    napi: process.versions.napi ?? '?',
    platform: `${process.platform} ${process.arch}`,
    cpuCores: os.cpus().length,
    defaultDevice: getDefaultDevice(),
    backends: backendInfo(),
  };
}

/** One line naming the system packages that give the CPU fast path, when this build lacks them (else undefined). */
export function fastPathHint(cpu: BackendInfo['cpu']): string | undefined {
  const missing = [cpu.blas === 'openblas' ? '' : 'libopenblas-dev', cpu.onednn.compiled ? '' : 'libdnnl-dev'].filter(Boolean);
  if (missing.length === 0) return undefined;
  return `fast path: this build lacks ${missing.join(' and ')}; on Debian/Ubuntu run 'apt-get install ${missing.join(' ')}' and rebuild (npm rebuild tensornode)`;
}

export function infoCommand(opts: { json?: boolean }, io: CliIO): InfoReport {
  const r = collectInfo();
  if (opts.json) {
    println(io.stdout, JSON.stringify(r, null, 2));
    return r;
  }
  const { cpu, cuda } = r.backends;
  const out = (l: string): void => println(io.stdout, l);
  out(`tensornode ${r.tensornode}`);
  out(`node ${r.node} (N-API ${r.napi}), ${r.platform}, ${r.cpuCores} CPU core(s)`);
  const blas = cpu.blas === 'openblas' ? `OpenBLAS (${cpu.blasCoreType || 'core type unknown'})` : 'built-in GEMM';
  const dnnl = cpu.onednn.compiled ? `oneDNN ${cpu.onednn.version} (${cpu.onednn.isa})` : 'no oneDNN';
  out(`backend cpu: usable; GEMM: ${blas}; conv/pool engine: ${cpu.engine} (${dnnl}); threads: ${cpu.threads}`);
  out(`  threading: ${cpu.threading}`);
  const hint = fastPathHint(cpu);
  if (hint) out(`  ${hint}`);
  if (!cuda.compiled) out(`backend cuda: ${cuda.reason ?? 'not compiled'}`);
  else if (!cuda.usable) out(`backend cuda: compiled but not usable (${cuda.reason ?? 'no reason given'})`);
  else {
    out(
      `backend cuda: usable; runtime ${cudaVersion(cuda.runtimeVersion)}, driver ${cudaVersion(cuda.driverVersion)}, ` +
        `cuBLAS ${libVersion(cuda.cublasVersion)}, cuDNN ${libVersion(cuda.cudnnVersion)}, TF32 ${cuda.tf32 ? 'on' : 'off'}`,
    );
  }
  out('devices:');
  out('  cpu');
  for (const d of cuda.usable ? cuda.devices : []) {
    out(`  cuda:${d.index}  ${d.name}, ${(d.totalMemory / 2 ** 30).toFixed(1)} GiB, compute capability ${d.computeCapability}`);
  }
  out(`default device: ${r.defaultDevice}${process.env.TENSORNODE_DEVICE ? ' (from TENSORNODE_DEVICE)' : ''}`);
  return r;
}
