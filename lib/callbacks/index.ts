// The `callbacks` namespace (callbacks.earlyStopping({...}), as tf.callbacks) and the callback classes.
import { EarlyStopping, type EarlyStoppingArgs } from './early_stopping';
import { ModelCheckpoint, type ModelCheckpointArgs } from './model_checkpoint';
import { ProgressLogger, type ProgressLoggerArgs } from './progress';
import { ReduceLROnPlateau, type ReduceLROnPlateauArgs } from './reduce_lr';

export { Callback, CallbackList, type CallbackHooks, type TrainParams } from './callback';
export type { Logs, TrainingModel } from './types';
export { History } from './history';
export { CustomCallback, type CustomCallbackArgs, type YieldEveryOptions } from './custom';
export { registerCallbackConstructor, type CallbackConstructor } from './registry';
export { ProgressLogger, type ProgressLoggerArgs } from './progress';
export { EarlyStopping, type EarlyStoppingArgs } from './early_stopping';
export { ReduceLROnPlateau, type ReduceLROnPlateauArgs } from './reduce_lr';
export { ModelCheckpoint, type ModelCheckpointArgs } from './model_checkpoint';

export const callbacks = {
  earlyStopping: (args: EarlyStoppingArgs = {}): EarlyStopping => new EarlyStopping(args),
  reduceLROnPlateau: (args: ReduceLROnPlateauArgs = {}): ReduceLROnPlateau => new ReduceLROnPlateau(args),
  modelCheckpoint: (args: ModelCheckpointArgs): ModelCheckpoint => new ModelCheckpoint(args),
  progress: (args: ProgressLoggerArgs = {}): ProgressLogger => new ProgressLogger(args),
};
