// TensorBoard logging from Node (tfjs-node's tf.node.summaryFileWriter and tf.node.tensorBoard).
export { SummaryFileWriter, summaryFileWriter } from './writer';
export { TensorBoardCallback, tensorBoard, type TensorBoardCallbackArgs } from './callback';
export { histogramBuckets } from './histogram';
export { readTfRecords } from './tfrecord';
