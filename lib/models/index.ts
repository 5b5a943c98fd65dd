// Models: LayersModel (functional, tf.model) with Sequential as a builder on it, and model configs.
export { LayersModel, model, type ModelFitArgs, type ModelEvaluateArgs } from './layers_model';
export { Sequential, sequential, type SequentialArgs } from './sequential';
export { Container, type ContainerArgs, type GraphConfig } from './container';
export type { ModelCompileArgs, LossIdentifier, LossFunction, PerOutput } from './compile';
export type { TensorArgs } from './model_data';
export { modelFromJSON, functionalFromConfig } from './from_config';
export { models, type ModelAndWeightsConfig } from './model_from_json';
