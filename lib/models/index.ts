// Models: Sequential and its factory.
export { Sequential, sequential, type ModelCompileArgs, type ModelFitArgs, type ModelEvaluateArgs, type SequentialArgs, type LossIdentifier } from './sequential';
