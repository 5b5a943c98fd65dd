// What the compat table cannot see by name: tfjs functions that do not apply outside a browser or to tensornode's
// design (with the reason), and the present ones whose behaviour differs (with how). Keys: `name`, `ns.name`, `Tensor#name`.

const backendRegistry = "tfjs's pluggable kernel/backend registry; tensornode's kernels are native and listed once in lib/ops/op_list.ts";
const webgl = 'WebGL backend (browser only)';
const layersInternals = 'tfjs-layers implementation class, not user API';

/** Not applicable: these count neither as present nor as missing. */
export const NOT_APPLICABLE: Record<string, string> = {
  GPGPUContext: webgl,
  MathBackendWebGL: webgl,
  setWebGLContext: webgl,
  forceHalfFloat: webgl,
  'Tensor#dataToGPU': webgl,
  MathBackendCPU: "tfjs's JavaScript CPU backend class; tensornode's CPU backend is native",
  KernelBackend: backendRegistry,
  DataStorage: backendRegistry,
  registerBackend: backendRegistry,
  removeBackend: backendRegistry,
  findBackend: backendRegistry,
  findBackendFactory: backendRegistry,
  registerKernel: backendRegistry,
  unregisterKernel: backendRegistry,
  getKernel: backendRegistry,
  getKernelsForBackend: backendRegistry,
  copyRegisteredKernels: backendRegistry,
  registerGradient: backendRegistry,
  unregisterGradient: backendRegistry,
  getGradient: backendRegistry,
  setPlatform: "tfjs's platform abstraction (fetch, timers) for browsers and React Native; Node is the only platform here",
  'browser.draw': 'draws on an HTML canvas (browser only)',
  'browser.fromPixels': 'reads HTML image/video/canvas elements (browser only); use node.decodeImage',
  'browser.fromPixelsAsync': 'reads HTML image/video/canvas elements (browser only); use node.decodeImage',
  'browser.toPixels': 'writes an HTML canvas (browser only); use node.encodePng',
  'io.browserFiles': 'HTML file inputs (browser only)',
  'data.microphone': 'browser media devices (browser only)',
  'data.webcam': 'browser media devices (browser only)',
  CallbackList: layersInternals,
};

/** Present, with a difference a user should know about. */
export const DIFFERS: Record<string, string> = {
  memory: "`unreliable` is false (counts are exact); also reports per-device counts in `devices`",
  getBackend: "returns 'cpu' or 'cuda' (tfjs-node returns 'tensorflow')",
  setBackend: "accepts 'cpu', 'cuda', 'cuda:N' and 'tensorflow' (the best device)",
  randomUniform: 'the same seed repeats the numbers, but they are not the numbers tfjs draws',
  randomNormal: 'the same seed repeats the numbers, but they are not the numbers tfjs draws',
  randomStandardNormal: 'the same seed repeats the numbers, but they are not the numbers tfjs draws',
  truncatedNormal: 'the same seed repeats the numbers, but they are not the numbers tfjs draws',
  randomUniformInt: 'the same seed repeats the numbers, but they are not the numbers tfjs draws',
  randomGamma: 'the same seed repeats the numbers, but they are not the numbers tfjs draws',
  multinomial: 'the same seed repeats the draws, but they are not the ones tfjs draws',
  time: 'kernelMs equals wallMs (no per-kernel timers)',
  profile: 'reports new tensors and bytes; kernels are not recorded (empty list) and peakBytes is max(before, after)',
  rand: "tensornode's rand(shape, {low, high, seed}); tfjs's rand(shape, randFunction, dtype) takes a JS generator",
  dropout: "tensornode's dropout(x, rate, {seed, ...}); tfjs's dropout(x, rate, noiseShape?, seed?)",
  conv2d: "tensornode's conv2d(x, filter, {stride, padding, dilation}); tfjs's positional (strides, pad, dataFormat, dilations)",
  oneHot: 'returns float32 without on/off values (tfjs: int32, onValue, offValue)',
  tensor: 'numbers only: no bool or string values or dtypes',
  equal: 'returns float32 0/1 (no bool dtype)',
  greater: 'returns float32 0/1 (no bool dtype)',
  greaterEqual: 'returns float32 0/1 (no bool dtype)',
  less: 'returns float32 0/1 (no bool dtype)',
  lessEqual: 'returns float32 0/1 (no bool dtype)',
  'Tensor#equal': 'returns float32 0/1 (no bool dtype)',
  'Tensor#greater': 'returns float32 0/1 (no bool dtype)',
  'Tensor#greaterEqual': 'returns float32 0/1 (no bool dtype)',
  'Tensor#less': 'returns float32 0/1 (no bool dtype)',
  'Tensor#lessEqual': 'returns float32 0/1 (no bool dtype)',
  'Tensor#toBool': 'int32 0/1 (no bool dtype yet)',
  'Tensor#conv2d': "tensornode's conv2d(filter, {stride, padding, dilation}) options, not tfjs's positional (filter, strides, pad)",
};
