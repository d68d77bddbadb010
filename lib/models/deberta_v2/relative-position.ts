// Relative positions between query and key tokens, log-bucketed past half the buckets
// (transformers' make_log_bucket_position and build_relative_position). Computed with the
// same float32 tensor ops as there: a bucket is the ceil of a log ratio, and a value a float32
// ulp from an integer must round as it does in transformers.
import { arange, tensor, where } from '../../torch/creation.js';
import type { Device } from '../../torch/device.js';
import type { Tensor } from '../../torch/tensor.js';

/** Distances within ±bucketSize/2 kept, larger ones on a log scale up to maxPosition; a float32 tensor. */
export function makeLogBucketPosition(relativePos: Tensor, bucketSize: number, maxPosition: number): Tensor {
  const sign = relativePos.sign();
  const mid = Math.floor(bucketSize / 2);
  const absPos = where(relativePos.lt(mid).logicalAnd(relativePos.gt(-mid)), mid - 1, relativePos.abs());
  const logRange = tensor((maxPosition - 1) / mid, { dtype: 'float32', device: relativePos.device }).log();
  const logPos = absPos.div(mid).log().div(logRange).mul(mid - 1).ceil().add(mid);
  return where(absPos.le(mid), relativePos.to({ dtype: logPos.dtype }), logPos.mul(sign));
}

/** query position − key position, (1, querySize, keySize) int64, bucketed when both bucketSize and maxPosition are positive. */
export function buildRelativePosition(querySize: number, keySize: number, bucketSize = -1, maxPosition = -1, device?: Device): Tensor {
  const q = arange(querySize, undefined, 1, { dtype: 'int64', device });
  const k = arange(keySize, undefined, 1, { dtype: 'int64', device });
  let relative = q.unsqueeze(1).sub(k.unsqueeze(0));
  if (bucketSize > 0 && maxPosition > 0) relative = makeLogBucketPosition(relative, bucketSize, maxPosition);
  return relative.to({ dtype: 'int64' }).unsqueeze(0);
}
