// tf.data: lazy datasets (array, generator, csv, zip) and their methods, as in @tensorflow/tfjs-data.
export { Dataset, datasetFromIteratorFn } from './dataset';
export { LazyIterator } from './iterator';
export { array, generator, zip } from './sources';
export { csv, CSVDataset, type CSVConfig, type ColumnConfig, type CsvValue } from './csv';
