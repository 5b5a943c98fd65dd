// Sequence layers: embedding, recurrent layers on fused kernels, and the wrappers used with them.
export { RNNBase, SimpleRNN, LSTM, GRU, lastStep, type RNNLayerArgs, type GatedRNNLayerArgs, type LSTMLayerArgs, type GRULayerArgs, type RNNResult } from './rnn';
export { Bidirectional, TimeDistributed, type BidirectionalLayerArgs, type BidirectionalMergeMode, type WrapperLayerArgs } from './wrappers';
export { Embedding, type EmbeddingLayerArgs } from './embedding';
export { RNN, RNNCell, SimpleRNNCell, LSTMCell, GRUCell, StackedRNNCells } from './cells';
export type { RNNWrapperLayerArgs, SimpleRNNCellLayerArgs, LSTMCellLayerArgs, GRUCellLayerArgs, StackedRNNCellsLayerArgs } from './cells';
export { ConvLSTM2D, ConvLSTM2DCell, type ConvLSTM2DLayerArgs, type ConvLSTM2DCellLayerArgs } from './conv_lstm';
export type { CellLayer } from './cells';
