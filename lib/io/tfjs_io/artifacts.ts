// tf.io's model artifacts: what an IOHandler saves and loads (tfjs ModelArtifacts), what a save reports, and the
// model.json object made from artifacts and a weights manifest.
import { ValueError } from '../../errors';
import type { WeightSpec } from '../tfjs_layers/weights';
import { CompositeArrayBuffer } from './composite_array_buffer';

/** One entry of weightSpecs / a weightsManifest group (tfjs WeightsManifestEntry). */
export type WeightsManifestEntry = WeightSpec;

/** What a model saves and loads as (tfjs ModelArtifacts). */
export interface ModelArtifacts {
  modelTopology?: unknown;
  weightSpecs?: WeightsManifestEntry[];
  weightData?: ArrayBuffer | ArrayBuffer[];
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
  trainingConfig?: unknown;
  userDefinedMetadata?: Record<string, unknown>;
  signature?: unknown;
  modelInitializer?: unknown;
  initializerSignature?: unknown;
  /** With http's streamWeights: the weight bytes as a ReadableStream, instead of weightData. */
  getWeightStream?: () => ReadableStream<Uint8Array>;
}

export interface ModelArtifactsInfo {
  dateSaved: Date;
  modelTopologyType: 'JSON';
  modelTopologyBytes?: number;
  weightSpecsBytes?: number;
  weightDataBytes?: number;
}

export interface SaveResult {
  modelArtifactsInfo: ModelArtifactsInfo;
  responses?: unknown[];
  errors?: unknown[];
}

/** tfjs's IOHandler: where model.save writes (save) and tf.loadLayersModel reads (load). */
export interface IOHandler {
  save?: (artifacts: ModelArtifacts) => Promise<SaveResult> | SaveResult;
  load?: () => Promise<ModelArtifacts> | ModelArtifacts;
}

const utf8Bytes = (v: unknown): number => Buffer.byteLength(JSON.stringify(v), 'utf8');

/** The sizes tfjs reports for saved artifacts (topology and specs as JSON bytes, weight bytes). */
export function getModelArtifactsInfoForJSON(artifacts: ModelArtifacts): ModelArtifactsInfo {
  if (artifacts === null || typeof artifacts !== 'object') throw new ValueError(`getModelArtifactsInfoForJSON: expected model artifacts, got ${typeof artifacts}`);
  if (artifacts.modelTopology instanceof ArrayBuffer) throw new ValueError('getModelArtifactsInfoForJSON: expected JSON model topology, got an ArrayBuffer');
  return {
    dateSaved: new Date(),
    modelTopologyType: 'JSON',
    modelTopologyBytes: artifacts.modelTopology == null ? 0 : utf8Bytes(artifacts.modelTopology),
    weightSpecsBytes: artifacts.weightSpecs == null ? 0 : utf8Bytes(artifacts.weightSpecs),
    weightDataBytes: artifacts.weightData == null ? 0 : new CompositeArrayBuffer(artifacts.weightData).byteLength,
  };
}

/** The model.json object for `artifacts` with `manifest` as its weightsManifest (tfjs getModelJSONForModelArtifacts). */
export function getModelJSONForModelArtifacts(artifacts: ModelArtifacts, manifest: { paths: string[]; weights: WeightSpec[] }[]): Record<string, unknown> {
  const out: Record<string, unknown> = {
    modelTopology: artifacts.modelTopology,
    format: artifacts.format,
    generatedBy: artifacts.generatedBy,
    convertedBy: artifacts.convertedBy,
    weightsManifest: manifest,
  };
  for (const k of ['signature', 'userDefinedMetadata', 'modelInitializer', 'initializerSignature', 'trainingConfig'] as const) if (artifacts[k] != null) out[k] = artifacts[k];
  return out;
}
