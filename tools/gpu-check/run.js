// `npm run gpu:check`: the one command of a GPU host. Builds the addon and the CUDA module with the host's CUDA, then
// runs the kernel-by-kernel CPU comparison, the GPU jest files in band (OOM last), the fp32-vs-float64 precision
// check, worker_threads on the GPU and a quick benchmark beside PyTorch, and writes one record,
// bench/results/gpu-<date>.json (copied to $OUT when set). Fits 8 minutes on an H100/H200 including the build.
// Without a GPU it prints why and exits 0; `--rehearse` runs every step anyway (each then reports its skip).
// Options: --rehearse, --skip-build, --no-bench, --budget <s> (default 470). Plain Node, no dependencies.
'use strict';
const { spawn, spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const root = path.resolve(__dirname, '..', '..');
const argv = process.argv.slice(2);
const flag = (f) => argv.includes(f);
const option = (f, d) => (argv.includes(f) ? argv[argv.indexOf(f) + 1] : d);
const rehearse = flag('--rehearse');
const budgetS = Number(option('--budget', process.env.GPU_CHECK_BUDGET_S || 470));
const buildDir = process.env.GPU_CHECK_BUILD_DIR || 'build-gpu';
const addon = path.join(root, buildDir, 'Release', 'tensornode.node');
// What comes back from a device call: $OUT holds few files, so one log (every step's output) and the record.
const outDir = process.env.OUT || path.join(root, '.cache', 'gpu-check');
const scratchDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gpu-check-'));
const started = Date.now();
const elapsed = () => (Date.now() - started) / 1000;
fs.mkdirSync(outDir, { recursive: true });
const logFile = path.join(outDir, 'gpu-check.log');
fs.writeFileSync(logFile, '');
const log = (text) => {
  process.stdout.write(text);
  fs.appendFileSync(logFile, text);
};

/** The host's GPUs from nvidia-smi (name, driver, memory, compute capability), or why there are none. */
function probeGpus() {
  const r = spawnSync('nvidia-smi', ['--query-gpu=name,driver_version,memory.total,compute_cap', '--format=csv,noheader'], { encoding: 'utf8' });
  if (r.error) return { gpus: [], reason: `nvidia-smi is not available (${r.error.code || r.error.message})` };
  if (r.status !== 0) return { gpus: [], reason: `nvidia-smi failed: ${(r.stderr || r.stdout).trim()}` };
  const gpus = r.stdout.trim().split('\n').filter(Boolean).map((l) => {
    const [name, driver, memory, cc] = l.split(',').map((s) => s.trim());
    return { name, driver, memory, computeCapability: cc };
  });
  return gpus.length ? { gpus, reason: '' } : { gpus, reason: 'nvidia-smi lists no GPU' };
}

function versionOf(cmd, args) {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim().split('\n').pop() : null;
}

/** Runs one command, streaming its output to the console and to gpu-check.log; resolves with its output. */
function runCommand(name, cmd, args, env, timeoutS) {
  return new Promise((resolve) => {
    log(`\n== ${name} (${timeoutS.toFixed(0)} s max): ${cmd} ${args.join(' ')}\n`);
    const child = spawn(cmd, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let output = '';
    const take = (chunk) => {
      const text = chunk.toString();
      output += text;
      if (output.length > 4e6) output = output.slice(-2e6);
      log(text);
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try { process.kill(-child.pid, 'SIGKILL'); } catch { /* already gone */ }
    }, timeoutS * 1000);
    child.on('error', (e) => { output += `\n${e.message}`; });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, timedOut, output });
    });
  });
}

/** The JSON after the last `RESULT ` line of a step's output, or null. */
function resultLine(output) {
  const lines = output.split('\n').filter((l) => l.startsWith('RESULT '));
  if (!lines.length) return null;
  try { return JSON.parse(lines[lines.length - 1].slice(7)); } catch { return null; }
}

const steps = [];
/** Runs a step within the remaining budget and records pass/fail/skip, counts and seconds. */
async function step(name, wantS, cmd, args, env, judge) {
  const left = budgetS - elapsed();
  if (left < Math.min(wantS, 20)) {
    steps.push({ name, status: 'skip', reason: `out of time (${left.toFixed(0)} s left of ${budgetS})`, seconds: 0 });
    log(`\n== ${name}: skipped, out of time\n`);
    return null;
  }
  const t0 = Date.now();
  const r = await runCommand(name, cmd, args, env, Math.min(wantS, left));
  const s = { name, seconds: Number(((Date.now() - t0) / 1000).toFixed(1)), exitCode: r.code, ...judge(r) };
  if (r.timedOut) Object.assign(s, { status: 'fail', reason: `timed out after ${Math.min(wantS, left).toFixed(0)} s` });
  steps.push(s);
  log(`== ${name}: ${s.status}${s.reason ? ` (${s.reason})` : ''} in ${s.seconds} s\n`);
  return s;
}

/** Judges a step that prints RESULT {failed, skipped, ...}. */
const byResult = (r) => {
  const res = resultLine(r.output);
  if (!res) return { status: 'fail', reason: `no RESULT line (exit ${r.code})` };
  if (res.skipped) return { status: 'skip', reason: res.reason, result: res };
  return { status: res.failed || r.code !== 0 ? 'fail' : 'pass', failed: res.failed || 0, result: res };
};

async function main() {
  const probe = probeGpus();
  const gpu = probe.gpus[0];
  if (!gpu && !rehearse) {
    log(`gpu:check skipped: no usable NVIDIA GPU on this host: ${probe.reason}.\n`);
    log('Nothing was built or run. `npm run gpu:check -- --rehearse` runs every step anyway (each reports its skip).\n');
    return 0;
  }
  log(gpu ? `gpu:check on ${probe.gpus.map((g) => `${g.name} (cc ${g.computeCapability}, ${g.memory}, driver ${g.driver})`).join('; ')}\n`
    : `gpu:check REHEARSAL without a GPU (${probe.reason}): every step runs up to the point where it needs the device\n`);
  const node = process.execPath;
  const bin = (name) => path.join(root, 'node_modules', '.bin', name);
  const addonEnv = { TENSORNODE_ADDON: addon };

  if (!flag('--skip-build')) {
    // Only the host GPU's architecture (fastest build); the default sm_80;90 list where there is no GPU.
    const arch = gpu ? gpu.computeCapability.replace('.', '') : '';
    const cmakeArgs = ['compile', '--out', buildDir, ...(arch ? [`--CDCMAKE_CUDA_ARCHITECTURES=${arch}`] : [])];
    await step('build', 300, node, [bin('cmake-js'), ...cmakeArgs], { TENSORNODE_CUDA: '1' }, (r) => ({
      status: r.code === 0 && fs.existsSync(path.join(root, buildDir, 'Release', 'tensornode_cuda.so')) ? 'pass' : 'fail',
    }));
    await step('tsc', 120, node, [bin('tsc'), '-p', 'tsconfig.json'], {}, (r) => ({ status: r.code === 0 ? 'pass' : 'fail' }));
    if (steps.some((s) => s.status === 'fail')) return finish(probe);
  }

  let cuda = null;
  await step('load', 60, node, ['-e', "const i=require('./dist/lib').backendInfo().cuda;console.log(JSON.stringify(i));console.log('RESULT '+JSON.stringify({failed:i.loaded?0:1,cuda:i}))"], addonEnv, (r) => {
    const res = resultLine(r.output);
    cuda = res && res.cuda;
    if (!res) return { status: 'fail', reason: `no RESULT line (exit ${r.code})` };
    if (!cuda.loaded) return { status: 'fail', reason: cuda.reason };
    return cuda.usable ? { status: 'pass' } : { status: rehearse ? 'skip' : 'fail', reason: `module loaded, CUDA unusable: ${cuda.reason}` };
  });
  await step('compare_with_cpu', 120, node, ['native/cuda/dev/compare_with_cpu.js', addon, 'cuda:0'], {}, byResult);
  const jestJson = path.join(scratchDir, 'jest.json');
  const gpuEnv = { ...addonEnv, ...(gpu ? { TENSORNODE_REQUIRE_GPU: '1' } : {}) };
  await step('jest test/gpu (in band, OOM last)', 240, node, [bin('jest'), '--runInBand', '--json', '--outputFile', jestJson, 'test/gpu'], gpuEnv, (r) => {
    let j = null;
    try { j = JSON.parse(fs.readFileSync(jestJson, 'utf8')); } catch { /* reported below */ }
    if (!j) return { status: 'fail', reason: `no jest JSON (exit ${r.code})` };
    const counts = { passed: j.numPassedTests, failed: j.numFailedTests, skipped: j.numPendingTests + j.numTodoTests };
    const failures = j.testResults.flatMap((f) => f.assertionResults.filter((a) => a.status === 'failed').map((a) => `${path.basename(f.name)}: ${a.fullName}`));
    const ran = counts.passed > 0 && counts.skipped === 0;
    return { status: counts.failed || r.code ? 'fail' : ran ? 'pass' : 'skip', ...counts, failures };
  });
  await step('precision (fp32 vs float64, TF32 leak, cuDNN benchmark on/off)', 90, node, ['tools/gpu-check/precision.js'], addonEnv, byResult);
  await step('worker_threads on the GPU', 60, node, ['tools/gpu-check/workers.js'], addonEnv, byResult);
  if (!flag('--no-bench')) {
    const benchJson = path.join(scratchDir, 'bench.json');
    await step('bench beside PyTorch', 150, node, ['dist/bench/gpu_bench.js', '--quick', '--sizes', '4096,8192', '--iters', '5', '--record', benchJson], addonEnv, (r) => {
      if (/skipped, CUDA is not usable/.test(r.output)) return { status: 'skip', reason: 'CUDA unusable' };
      let rec = null;
      try { rec = JSON.parse(fs.readFileSync(benchJson, 'utf8')); } catch { /* reported below */ }
      if (!rec) return { status: 'fail', reason: `no bench record (exit ${r.code})` };
      return { status: r.code === 0 ? 'pass' : 'fail', bench: { rows: rec.rows, torch: rec.torch && { version: rec.torch.version, device: rec.torch.device }, comparison: rec.comparison } };
    });
  }
  return finish(probe, cuda);
}

function finish(probe, cuda = null) {
  const total = (k) => steps.reduce((a, s) => a + (s[k] || 0), 0);
  const failedSteps = steps.filter((s) => s.status === 'fail').map((s) => s.name);
  const record = {
    kind: 'gpu-check',
    date: new Date().toISOString(),
    rehearsal: !probe.gpus.length,
    host: {
      gpus: probe.gpus,
      noGpuReason: probe.reason || undefined,
      nvcc: versionOf('nvcc', ['--version']),
      node: process.version,
      cpus: `${os.cpus().length} x ${os.cpus()[0]?.model ?? '?'}`,
      memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    },
    cuda,
    steps,
    summary: {
      steps: steps.length,
      passedSteps: steps.filter((s) => s.status === 'pass').length,
      failedSteps,
      skippedSteps: steps.filter((s) => s.status === 'skip').map((s) => `${s.name}: ${s.reason}`),
      testsPassed: total('passed'),
      testsFailed: total('failed'),
      seconds: Number(elapsed().toFixed(1)),
    },
  };
  // A rehearsal's record stays in outDir: bench/results holds measurements from GPUs only.
  const dir = record.rehearsal ? outDir : path.join(root, 'bench', 'results');
  const day = record.date.slice(0, 10);
  const prefix = record.rehearsal ? 'gpu-rehearsal' : 'gpu';
  let file = path.join(dir, `${prefix}-${day}.json`);
  for (let n = 2; fs.existsSync(file); n++) file = path.join(dir, `${prefix}-${day}-${n}.json`);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(file, JSON.stringify(record, null, 2) + '\n');
  if (!record.rehearsal) fs.copyFileSync(file, path.join(outDir, path.basename(file)));
  log(`\n== gpu:check ${record.rehearsal ? 'rehearsal ' : ''}${failedSteps.length ? `FAILED: ${failedSteps.join(', ')}` : 'passed'} in ${record.summary.seconds} s\n`);
  for (const s of steps) log(`   ${s.status.padEnd(4)} ${s.name}${s.reason ? `: ${s.reason}` : ''}\n`);
  log(`   record: ${file}${record.rehearsal ? '' : ` (copy in ${outDir})`}\n`);
  return failedSteps.length ? 1 : 0;
}

main().then((code) => { process.exitCode = code; }, (e) => { console.error(e); process.exitCode = 1; });
