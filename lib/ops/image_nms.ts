// tfjs's non-max suppression family (tf.image.nonMaxSuppression*, sync and async): greedy selection of boxes by
// score, dropping those that overlap a selected one too much (or, with softNmsSigma, decaying their scores). The
// selection is data-dependent and sequential, so it runs on the host over the values read from the tensors.
import { ShapeError, ValueError } from '../errors';
import type { Tensor } from '../tensor';
import { tensor } from './creation';
import { checkDType, checkTensor } from './validate';

interface NmsArgs {
  maxOutputSize: number;
  iouThreshold: number;
  scoreThreshold: number;
  softNmsSigma: number;
}

/** tfjs's argument checks; maxOutputSize is capped at the number of boxes. */
function check(op: string, boxes: Tensor, scores: Tensor, maxOutputSize: number, iouThreshold?: number | null, scoreThreshold?: number | null, softNmsSigma?: number | null): NmsArgs {
  checkTensor(op, 'boxes', boxes);
  checkTensor(op, 'scores', scores);
  const iou = iouThreshold ?? 0.5;
  const score = scoreThreshold ?? Number.NEGATIVE_INFINITY;
  const sigma = softNmsSigma ?? 0;
  if (boxes.rank !== 2 || boxes.shape[1] !== 4) throw new ShapeError(`${op}: 'boxes' must be [numBoxes, 4], got shape [${boxes.shape}]`);
  if (scores.rank !== 1 || scores.shape[0] !== boxes.shape[0]) throw new ShapeError(`${op}: 'scores' must be [${boxes.shape[0]}], got shape [${scores.shape}]`);
  if (typeof maxOutputSize !== 'number' || !Number.isInteger(maxOutputSize) || maxOutputSize < 0) throw new ValueError(`${op}: 'maxOutputSize' must be a non-negative integer, got ${maxOutputSize}`);
  if (!(iou >= 0 && iou <= 1)) throw new ValueError(`${op}: 'iouThreshold' must be in [0, 1], got ${iou}`);
  if (typeof score !== 'number' || Number.isNaN(score)) throw new ValueError(`${op}: 'scoreThreshold' must be a number, got ${score}`);
  if (!(sigma >= 0 && sigma <= 1)) throw new ValueError(`${op}: 'softNmsSigma' must be in [0, 1], got ${sigma}`);
  return { maxOutputSize: Math.min(maxOutputSize, boxes.shape[0]), iouThreshold: iou, scoreThreshold: score, softNmsSigma: sigma };
}

/** Intersection over union of boxes i and j (corners in either order); 0 when either box is empty. */
function iou(b: Float32Array, i: number, j: number): number {
  const box = (k: number) => {
    const [y1, x1, y2, x2] = b.subarray(4 * k, 4 * k + 4);
    return [Math.min(y1, y2), Math.min(x1, x2), Math.max(y1, y2), Math.max(x1, x2)];
  };
  const [ay0, ax0, ay1, ax1] = box(i);
  const [by0, bx0, by1, bx1] = box(j);
  const areaA = (ay1 - ay0) * (ax1 - ax0);
  const areaB = (by1 - by0) * (bx1 - bx0);
  if (areaA <= 0 || areaB <= 0) return 0;
  const inter = Math.max(Math.min(ay1, by1) - Math.max(ay0, by0), 0) * Math.max(Math.min(ax1, bx1) - Math.max(ax0, bx0), 0);
  return inter / (areaA + areaB - inter);
}

interface Candidate {
  score: number;
  index: number;
  /** Selected boxes before this position were already compared with this candidate. */
  checkedUpTo: number;
}

/** Orders candidates by score, then by lower index first (TensorFlow's tie rule). */
const before = (a: Candidate, b: Candidate): boolean => a.score > b.score || (a.score === b.score && a.index < b.index);

/** The greedy (soft-)NMS selection: indices and their (possibly decayed) scores. */
function select(boxes: Float32Array, scores: Float32Array, a: NmsArgs): { indices: number[]; scores: number[] } {
  // A queue kept sorted best-first; a candidate whose score decays is re-inserted at its new place.
  const queue: Candidate[] = [];
  scores.forEach((s, index) => {
    if (s > a.scoreThreshold) queue.push({ score: s, index, checkedUpTo: 0 });
  });
  queue.sort((x, y) => (before(x, y) ? -1 : 1));
  const decay = a.softNmsSigma > 0 ? -0.5 / a.softNmsSigma : 0;
  const indices: number[] = [];
  const kept: number[] = [];
  while (indices.length < a.maxOutputSize && queue.length > 0) {
    const c = queue.shift()!;
    const original = c.score;
    if (original < a.scoreThreshold) break;
    let suppressed = false;
    // Newest selections first: an overlapping box is most likely a recent one.
    for (let k = indices.length - 1; k >= c.checkedUpTo; k--) {
      const o = iou(boxes, c.index, indices[k]);
      if (o >= a.iouThreshold) {
        suppressed = true;
        break;
      }
      c.score *= o <= a.iouThreshold ? Math.exp(decay * o * o) : 0;
      if (c.score <= a.scoreThreshold) break;
    }
    c.checkedUpTo = indices.length;
    if (suppressed) continue;
    if (c.score === original) {
      indices.push(c.index);
      kept.push(c.score);
    } else if (c.score > a.scoreThreshold) {
      let at = 0;
      while (at < queue.length && before(queue[at], c)) at++;
      queue.splice(at, 0, c);
    }
  }
  return { indices, scores: kept };
}

const int32Vector = (v: number[], like: Tensor): Tensor => tensor(Int32Array.from(v), [v.length], { dtype: 'int32', device: like.device });
const float32Vector = (v: number[], like: Tensor): Tensor => tensor(Float32Array.from(v), [v.length], { device: like.device });
const f32 = (d: ArrayLike<number>): Float32Array => (d instanceof Float32Array ? d : Float32Array.from(d));

/** Indices (int32) of the boxes kept by greedy NMS, best score first. boxes [n, 4] as [y1, x1, y2, x2]. */
function nonMaxSuppression(boxes: Tensor, scores: Tensor, maxOutputSize: number, iouThreshold = 0.5, scoreThreshold = Number.NEGATIVE_INFINITY): Tensor {
  const a = check('nonMaxSuppression', boxes, scores, maxOutputSize, iouThreshold, scoreThreshold);
  // Only this variant insists on float32 in tfjs; the others read int32 values as they are.
  checkDType('nonMaxSuppression', 'boxes', boxes, 'float32');
  checkDType('nonMaxSuppression', 'scores', scores, 'float32');
  return int32Vector(select(f32(boxes.dataSync()), f32(scores.dataSync()), a).indices, boxes);
}

/** nonMaxSuppression, reading the values without blocking. */
async function nonMaxSuppressionAsync(boxes: Tensor, scores: Tensor, maxOutputSize: number, iouThreshold = 0.5, scoreThreshold = Number.NEGATIVE_INFINITY): Promise<Tensor> {
  const a = check('nonMaxSuppressionAsync', boxes, scores, maxOutputSize, iouThreshold, scoreThreshold);
  const [b, s] = await Promise.all([boxes.data(), scores.data()]);
  return int32Vector(select(f32(b), f32(s), a).indices, boxes);
}

/** Soft-NMS (softNmsSigma > 0 decays overlapping scores by exp(-iou^2 / (2 sigma))): the kept indices and scores. */
function nonMaxSuppressionWithScore(boxes: Tensor, scores: Tensor, maxOutputSize: number, iouThreshold = 0.5, scoreThreshold = Number.NEGATIVE_INFINITY, softNmsSigma = 0): { selectedIndices: Tensor; selectedScores: Tensor } {
  const a = check('nonMaxSuppressionWithScore', boxes, scores, maxOutputSize, iouThreshold, scoreThreshold, softNmsSigma);
  const r = select(f32(boxes.dataSync()), f32(scores.dataSync()), a);
  return { selectedIndices: int32Vector(r.indices, boxes), selectedScores: float32Vector(r.scores, boxes) };
}

async function nonMaxSuppressionWithScoreAsync(boxes: Tensor, scores: Tensor, maxOutputSize: number, iouThreshold = 0.5, scoreThreshold = Number.NEGATIVE_INFINITY, softNmsSigma = 0): Promise<{ selectedIndices: Tensor; selectedScores: Tensor }> {
  const a = check('nonMaxSuppressionWithScoreAsync', boxes, scores, maxOutputSize, iouThreshold, scoreThreshold, softNmsSigma);
  const [b, s] = await Promise.all([boxes.data(), scores.data()]);
  const r = select(f32(b), f32(s), a);
  return { selectedIndices: int32Vector(r.indices, boxes), selectedScores: float32Vector(r.scores, boxes) };
}

/** The kept indices, padded with zeros to maxOutputSize when padToMaxOutputSize, and how many are real (int32 scalar). */
function padded(r: { indices: number[] }, a: NmsArgs, pad: boolean, like: Tensor): { selectedIndices: Tensor; validOutputs: Tensor } {
  const valid = r.indices.length;
  const indices = pad ? [...r.indices, ...new Array(Math.max(a.maxOutputSize - valid, 0)).fill(0)] : r.indices;
  return { selectedIndices: int32Vector(indices, like), validOutputs: tensor([valid], [], { dtype: 'int32', device: like.device }) };
}

function nonMaxSuppressionPadded(boxes: Tensor, scores: Tensor, maxOutputSize: number, iouThreshold = 0.5, scoreThreshold = Number.NEGATIVE_INFINITY, padToMaxOutputSize = false): { selectedIndices: Tensor; validOutputs: Tensor } {
  const a = check('nonMaxSuppressionPadded', boxes, scores, maxOutputSize, iouThreshold, scoreThreshold);
  return padded(select(f32(boxes.dataSync()), f32(scores.dataSync()), a), a, padToMaxOutputSize, boxes);
}

async function nonMaxSuppressionPaddedAsync(boxes: Tensor, scores: Tensor, maxOutputSize: number, iouThreshold = 0.5, scoreThreshold = Number.NEGATIVE_INFINITY, padToMaxOutputSize = false): Promise<{ selectedIndices: Tensor; validOutputs: Tensor }> {
  const a = check('nonMaxSuppressionPaddedAsync', boxes, scores, maxOutputSize, iouThreshold, scoreThreshold);
  const [b, s] = await Promise.all([boxes.data(), scores.data()]);
  return padded(select(f32(b), f32(s), a), a, padToMaxOutputSize, boxes);
}

/** The NMS functions of tf.image (merged into `image` by image.ts). */
export const nmsOps = {
  nonMaxSuppression,
  nonMaxSuppressionAsync,
  nonMaxSuppressionWithScore,
  nonMaxSuppressionWithScoreAsync,
  nonMaxSuppressionPadded,
  nonMaxSuppressionPaddedAsync,
};
