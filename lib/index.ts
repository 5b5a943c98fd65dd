// tensornode: the package root. Tensors, ops, autograd, memory and device control.
import { bindAutogradOps } from './autograd/tape';
import { add, onesLike } from './ops';
import { reshape, toDevice } from './ops/reshape';
import { bindTensorMethods } from './tensor';
import { installTensorMethods } from './tensor_methods';

bindAutogradOps({ add, onesLike });
bindTensorMethods({ reshape, to: toDevice });
installTensorMethods();

export { Tensor, type NestedArray } from './tensor';
export {
  Rank,
  type ShapeMap,
  type Scalar,
  type Tensor1D,
  type Tensor2D,
  type Tensor3D,
  type Tensor4D,
  type Tensor5D,
  type Tensor6D,
  type DataType,
  type NamedTensorMap,
  type TensorContainer,
  type TensorContainerObject,
  type TensorContainerArray,
} from './rank';
export { TENSOR_METHODS, type TensorMethods } from './tensor_methods';
export { Variable, variable, disposeVariables } from './variable';
export { TensorBuffer, buffer } from './buffer';
export { print } from './tensor_format';
export * from './ops/public'; // every op in its own memory scope (lib/ops/op_scope.ts)
export { op } from './ops/op_wrapper';
export { noGrad, isGradEnabled } from './autograd/tape';
export { grad, grads, valueAndGrad, valueAndGrads, variableGrads, customGrad } from './autograd/gradients';
export { tidy, keep, dispose, memory, type MemoryInfo } from './memory';
export { engine, backend, type EngineCompat, type BackendCompat, type EngineState } from './engine_compat';
export { type DType, upcastType, sumOutType } from './dtype';
export * as util from './util';
export * as test_util from './util/test_util';
export { enclosingPowerOfTwo } from './util';
export {
  getBackend,
  setBackend,
  ready,
  env,
  Environment,
  enableProdMode,
  enableDebugMode,
  deprecationWarn,
  disableDeprecationWarnings,
  version,
  time,
  profile,
  nextFrame,
  type TimingInfo,
  type ProfileInfo,
} from './environment';
export { node } from './codecs/images';
export {
  backendInfo,
  cudaDevices,
  getDefaultDevice,
  setDefaultDevice,
  synchronize,
  whenReady,
  setNumThreads,
  setCpuEngine,
  setCpuGemm,
  setTF32,
  setCudnnBenchmark,
  emptyCache,
  type Device,
  type BackendInfo,
} from './device';
export { setSeed } from './random';
export * from './errors';
// Training stack (tfjs-style namespaces).
export * as layers from './nn/layers';
export { losses } from './nn/losses';
export { Reduction } from './nn/core_losses';
export { metrics } from './nn/metrics';
export { initializers } from './nn/initializers';
export { regularizers } from './nn/regularizers';
export { constraints } from './nn/constraints';
export {
  optimizers,
  schedules,
  train,
  Optimizer,
  SGDOptimizer,
  MomentumOptimizer,
  AdagradOptimizer,
  AdadeltaOptimizer,
  AdamOptimizer,
  AdamaxOptimizer,
  RMSPropOptimizer,
  OptimizerConstructors,
} from './optim';
export * as optim from './optim';
export {
  sequential,
  Sequential,
  model,
  LayersModel,
  type ModelCompileArgs,
  type ModelFitArgs,
  type ModelEvaluateArgs,
  type SequentialArgs,
  modelFromJSON,
  models,
} from './models';
export { input, InputLayer, type InputConfig } from './nn/layers/input_layer';
export { InputSpec, type InputSpecArgs } from './nn/layers/input_spec';
export { LayerVariable } from './nn/layers/layer';
export { RNN } from './nn/layers/recurrent/cells';
export { SymbolicTensor } from './nn/layers/symbolic';
export * as serialization from './serialization';
export { loadModel, saveModel, ModelFileError, type LoadModelOptions, type SaveModelOptions, type ModelJSON } from './io/model_files';
export { loadLayersModel, saveTfjsLayersModel, type LoadLayersModelOptions } from './io/tfjs_layers';
export { io } from './io/tfjs_io';
export { loadKerasModel, type LoadKerasModelOptions } from './io/keras';
export { exportWeights, importWeights, type WeightLayout, type WeightExchangeOptions } from './io/pytorch';
export { saveTensors, loadTensors } from './io/tensors';
export { SafetensorsError } from './io/safetensors';
export { callbacks, Callback, CustomCallback, registerCallbackConstructor, History, EarlyStopping, ReduceLROnPlateau, ModelCheckpoint, ProgressLogger, type CallbackHooks, type Logs } from './callbacks';
export * as data from './data';
export * as serve from './serve';
