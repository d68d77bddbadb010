// ELECTRA's pretraining objective (Clark et al., 2020): the generator fills the masked
// positions with tokens sampled from its own predictions, the discriminator tells for every
// token whether it was replaced, and the two losses are trained together:
// loss = generator MLM loss + λ · discriminator loss, with λ = 50 in the paper.
import { noGrad } from '../../torch/autograd.js';
import { arange, rand, where } from '../../torch/creation.js';
import type { Tensor } from '../../torch/tensor.js';
import type { EncoderInputs } from '../tasks.js';
import type { ElectraForMaskedLM } from './for-masked-lm.js';
import type { ElectraForPreTraining } from './for-pretraining.js';

export interface ReplacedTokenDetectionInputs extends EncoderInputs {
  /** The masked input: [MASK] (or a random or the same token) at the masked positions. */
  inputIds: Tensor;
  /** The original ids at the masked positions, -100 elsewhere (what the MLM collator gives). */
  labels: Tensor;
}

export interface ReplacedTokenDetectionOptions {
  /** λ, the discriminator loss's weight (50 in the paper). */
  discriminatorWeight?: number;
  /** Divides the generator's logits before sampling (1: its own distribution). */
  temperature?: number;
}

export interface ReplacedTokenDetectionOutput {
  /** mlmLoss + discriminatorWeight · discriminatorLoss. */
  loss: Tensor;
  mlmLoss: Tensor;
  discriminatorLoss: Tensor;
  /** The parts by name, which the Trainer logs as mlmLoss and discriminatorLoss. */
  losses: { mlm: Tensor; discriminator: Tensor };
  /** The discriminator's input: the masked positions hold the generator's samples. */
  corruptedIds: Tensor;
  /** 1 where corruptedIds differs from the original token (a sample equal to the original counts as original, as in the paper). */
  replacedLabels: Tensor;
  /** (masked tokens, vocab), one row per position whose label is not -100. */
  generatorLogits: Tensor;
  /** (batch, length). */
  discriminatorLogits: Tensor;
}

/** One sample per row of logits, by the Gumbel-max trick (as ELECTRA's code samples). */
function sampleFromLogits(logits: Tensor, temperature: number): Tensor {
  const u = rand(logits.shape, { device: logits.device });
  // The 1e-9 offsets keep both logs finite where rand gives 0.
  const gumbel = u.add(1e-9).log().neg().add(1e-9).log().neg();
  return logits.float().div(temperature).add(gumbel).argmax(-1);
}

/**
 * The replaced-token-detection loss of one batch. Sampling is discrete, so the discriminator's
 * loss sends no gradient into the generator: the generator learns from its MLM loss only.
 */
export function replacedTokenDetectionLoss(
  generator: ElectraForMaskedLM,
  discriminator: ElectraForPreTraining,
  inputs: ReplacedTokenDetectionInputs,
  options: ReplacedTokenDetectionOptions = {},
): ReplacedTokenDetectionOutput {
  const weight = options.discriminatorWeight ?? 50;
  const temperature = options.temperature ?? 1;
  if (!(typeof weight === 'number' && weight >= 0 && Number.isFinite(weight))) throw new RangeError(`replacedTokenDetectionLoss(): discriminatorWeight must be a finite number ≥ 0, got ${String(weight)}`);
  if (!(typeof temperature === 'number' && temperature > 0 && Number.isFinite(temperature))) throw new RangeError(`replacedTokenDetectionLoss(): temperature must be a finite number > 0, got ${String(temperature)}`);
  const [gv, dv] = [generator.config.fields.vocab_size, discriminator.config.fields.vocab_size];
  if (gv !== dv) throw new RangeError(`replacedTokenDetectionLoss(): the generator's vocabulary (${gv}) is not the discriminator's (${dv})`);
  const { labels, ...encoderInputs } = inputs;
  const masked = labels.ne(-100);
  if (masked.sum().item() === 0) throw new RangeError('replacedTokenDetectionLoss(): labels mark no masked token (every label is -100)');
  const generated = generator.forward({ ...encoderInputs, labels, maskedPositionsOnly: true });

  const { corruptedIds, replacedLabels } = noGrad(() => {
    const samples = sampleFromLogits(generated.logits.detach(), temperature).to({ dtype: inputs.inputIds.dtype });
    const positions = arange(inputs.inputIds.numel(), undefined, 1, { device: inputs.inputIds.device }).view(inputs.inputIds.shape).index([masked]);
    const corrupted = inputs.inputIds.flatten().scatter(0, positions, samples).view(inputs.inputIds.shape);
    const original = where(masked, labels.to({ dtype: inputs.inputIds.dtype }), inputs.inputIds);
    return { corruptedIds: corrupted, replacedLabels: corrupted.ne(original).to({ dtype: 'int64' }) };
  });

  const detected = discriminator.forward({ ...encoderInputs, inputIds: corruptedIds, labels: replacedLabels });
  return {
    loss: generated.loss.add(detected.loss.mul(weight)),
    mlmLoss: generated.loss,
    discriminatorLoss: detected.loss,
    losses: { mlm: generated.loss, discriminator: detected.loss },
    corruptedIds,
    replacedLabels,
    generatorLogits: generated.logits,
    discriminatorLogits: detected.logits,
  };
}
