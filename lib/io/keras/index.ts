// Keras 3 .keras files (zip of config.json + model.weights.h5): loadKerasModel.
export { loadKerasModel, type LoadKerasModelOptions } from './load';
