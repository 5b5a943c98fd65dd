// The op table as data: every native kernel, its inputs/outputs/attrs and the kernels its backward uses.
// A test checks each compiled backend's registered kernels against this list, so nothing drifts.

export interface KernelEntry {
  /** Native kernel name (native/KERNELS.md). */
  name: string;
  inputs: string[];
  outputs: string[];
  attrs?: string[];
  /** Kernels the backward rule of the public op uses (empty: composed from other ops, or not differentiable). */
  backward?: string[];
}

const unary = (name: string, attrs: string[] = [], backward: string[] = []): KernelEntry => ({ name, inputs: ['x'], outputs: ['y'], attrs, backward });
const binary = (name: string, backward: string[] = []): KernelEntry => ({ name, inputs: ['a', 'b'], outputs: ['y'], backward });
const grad = (name: string, saved: string, attrs: string[] = []): KernelEntry => ({ name, inputs: [saved, 'dy'], outputs: ['dx'], attrs });
const pool = ['kernel', 'strides', 'pads'];
const conv = ['strides', 'pads', 'dilations'];
const rnn = ['activation', 'recurrentActivation', 'reverse'];

export const KERNELS: readonly KernelEntry[] = [
  { name: 'copy', inputs: ['x'], outputs: ['y'] },
  { name: 'fill', inputs: [], outputs: ['y'], attrs: ['value'] },
  { name: 'arange', inputs: [], outputs: ['y'], attrs: ['start', 'step'] },
  { name: 'cast', inputs: ['x'], outputs: ['y'] },
  { name: 'random_uniform', inputs: [], outputs: ['y'], attrs: ['seed', 'low', 'high'] },
  { name: 'random_normal', inputs: [], outputs: ['y'], attrs: ['seed', 'mean', 'std'] },
  { name: 'one_hot', inputs: ['indices'], outputs: ['y'] },
  binary('add', ['reduce_sum']),
  binary('sub', ['reduce_sum']),
  binary('mul', ['reduce_sum']),
  binary('div', ['reduce_sum']),
  binary('pow', ['reduce_sum']),
  binary('maximum', ['maximum_backward']),
  binary('minimum', ['minimum_backward']),
  binary('equal'),
  binary('greater'),
  binary('greater_equal'),
  binary('less'),
  binary('less_equal'),
  { name: 'maximum_backward', inputs: ['a', 'b', 'dy'], outputs: ['da', 'db'] },
  { name: 'minimum_backward', inputs: ['a', 'b', 'dy'], outputs: ['da', 'db'] },
  unary('neg'),
  unary('exp'),
  unary('log'),
  unary('sqrt'),
  unary('abs', [], ['abs_backward']),
  unary('sign'),
  unary('square'),
  unary('relu', [], ['relu_backward']),
  unary('sigmoid', [], ['sigmoid_backward']),
  unary('tanh', [], ['tanh_backward']),
  unary('gelu', [], ['gelu_backward']),
  unary('leaky_relu', ['alpha'], ['leaky_relu_backward']),
  unary('clip', ['min', 'max'], ['clip_backward']),
  unary('scale', ['alpha', 'beta']),
  grad('relu_backward', 'x'),
  grad('leaky_relu_backward', 'x', ['alpha']),
  grad('sigmoid_backward', 'y'),
  grad('tanh_backward', 'y'),
  grad('gelu_backward', 'x'),
  grad('clip_backward', 'x', ['min', 'max']),
  grad('abs_backward', 'x'),
  unary('reduce_sum', ['axes']),
  unary('reduce_mean', ['axes']),
  unary('reduce_max', ['axes'], ['reduce_select_backward']),
  unary('reduce_min', ['axes'], ['reduce_select_backward']),
  { name: 'reduce_select_backward', inputs: ['x', 'y', 'dy'], outputs: ['dx'], attrs: ['axes'] },
  unary('argmax', ['axis']),
  unary('softmax', ['axis'], ['softmax_backward']),
  unary('log_softmax', ['axis'], ['log_softmax_backward']),
  grad('softmax_backward', 'y', ['axis']),
  grad('log_softmax_backward', 'y', ['axis']),
  { name: 'matmul', inputs: ['a', 'b'], outputs: ['y'], attrs: ['transposeA', 'transposeB'], backward: ['matmul', 'reduce_sum'] },
  unary('transpose', ['perm'], ['transpose']),
  { name: 'concat', inputs: ['...xs'], outputs: ['y'], attrs: ['axis'], backward: ['slice'] },
  unary('slice', ['begin'], ['pad']),
  unary('pad', ['before', 'value'], ['slice']),
  { name: 'dropout', inputs: ['x'], outputs: ['y', 'mask'], attrs: ['rate', 'seed'], backward: ['mul'] },
  { name: 'conv2d', inputs: ['x', 'w'], outputs: ['y'], attrs: conv, backward: ['conv2d_backward_input', 'conv2d_backward_filter'] },
  { name: 'conv2d_backward_input', inputs: ['dy', 'w'], outputs: ['dx'], attrs: conv },
  { name: 'conv2d_backward_filter', inputs: ['x', 'dy'], outputs: ['dw'], attrs: conv },
  { name: 'max_pool2d', inputs: ['x'], outputs: ['y'], attrs: pool, backward: ['max_pool2d_backward'] },
  { name: 'max_pool2d_backward', inputs: ['x', 'y', 'dy'], outputs: ['dx'], attrs: pool },
  { name: 'avg_pool2d', inputs: ['x'], outputs: ['y'], attrs: pool, backward: ['avg_pool2d_backward'] },
  { name: 'avg_pool2d_backward', inputs: ['dy'], outputs: ['dx'], attrs: pool },
  { name: 'softmax_cross_entropy', inputs: ['logits', 'labels'], outputs: ['loss', 'probs'], backward: ['softmax_cross_entropy_backward'] },
  { name: 'softmax_cross_entropy_backward', inputs: ['probs', 'labels', 'dloss'], outputs: ['dlogits'] },
  { name: 'binary_cross_entropy', inputs: ['x', 'target'], outputs: ['loss'], attrs: ['fromLogits'], backward: ['binary_cross_entropy_backward'] },
  { name: 'binary_cross_entropy_backward', inputs: ['x', 'target', 'dloss'], outputs: ['dx'], attrs: ['fromLogits'] },
  { name: 'squared_error', inputs: ['a', 'b'], outputs: ['y'], backward: ['squared_error_backward'] },
  { name: 'squared_error_backward', inputs: ['a', 'b', 'dy'], outputs: ['da'] },
  { name: 'simple_rnn_sequence', inputs: ['xw', 'h0', 'R'], outputs: ['y'], attrs: rnn, backward: ['simple_rnn_sequence_backward'] },
  { name: 'simple_rnn_sequence_backward', inputs: ['h0', 'R', 'y', 'dy'], outputs: ['dxw', 'dh0', 'dR'], attrs: rnn },
  { name: 'lstm_sequence', inputs: ['xw', 'h0', 'c0', 'R'], outputs: ['y', 'gates'], attrs: rnn, backward: ['lstm_sequence_backward'] },
  { name: 'lstm_sequence_backward', inputs: ['h0', 'c0', 'R', 'gates', 'y', 'dy'], outputs: ['dxw', 'dh0', 'dc0', 'dR'], attrs: rnn },
  { name: 'gru_sequence', inputs: ['xw', 'h0', 'R', 'rb'], outputs: ['y', 'gates', 'rh'], attrs: [...rnn, 'resetAfter'], backward: ['gru_sequence_backward'] },
  { name: 'gru_sequence_backward', inputs: ['h0', 'R', 'gates', 'rh', 'y', 'dy'], outputs: ['dxw', 'dh0', 'dR', 'drb'], attrs: [...rnn, 'resetAfter'] },
  { name: 'sgd_update', inputs: ['grad'], outputs: ['param', 'buf'], attrs: ['lr', 'momentum', 'dampening', 'nesterov', 'weightDecay', 'step'] },
  { name: 'adam_update', inputs: ['grad'], outputs: ['param', 'm', 'v'], attrs: ['lr', 'beta1', 'beta2', 'eps', 'weightDecay', 'decoupled', 'step'] },
  { name: 'adagrad_update', inputs: ['grad'], outputs: ['param', 'sum'], attrs: ['lr', 'eps', 'weightDecay', 'lrDecay', 'step', 'epsInsideSqrt'] },
  { name: 'rmsprop_update', inputs: ['grad'], outputs: ['param', 'sq', 'buf', 'gavg'], attrs: ['lr', 'alpha', 'eps', 'momentum', 'centered', 'weightDecay', 'epsInsideSqrt'] },
  { name: 'adamax_update', inputs: ['grad'], outputs: ['param', 'm', 'u'], attrs: ['lr', 'beta1', 'beta2', 'eps', 'decay', 'step'] },
  { name: 'adadelta_update', inputs: ['grad'], outputs: ['param', 'accGrad', 'accUpdate'], attrs: ['lr', 'rho', 'eps'] },
];
