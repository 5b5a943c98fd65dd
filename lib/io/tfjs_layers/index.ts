// The tfjs layers-model format (model.json + weights.bin): loadLayersModel and the file:// save of model.save.
export { loadLayersModel, type LoadLayersModelOptions } from './load';
export { saveTfjsLayersModel, modelTopology } from './save';
export { toPythonic, fromPythonic } from './naming';
