// RobertaConfig: BERT's fields with the defaults of roberta-base (as its config.json writes
// them) and the special token ids. It extends BertConfig, as RoBERTa's encoder is BERT's, so
// BERT's blocks (BertEncoder, BertLayer, BertPooler) accept it.
import { BertConfig, type BertConfigFields } from '../bert/config.js';
import { checkNumber } from '../config-checks.js';
import { LIMITS } from '../limits.js';
import { expectConfig, type ConfigInput } from '../pretrained-config.js';

export { PRESETS } from '../bert/config.js';

export interface RobertaConfigFields extends BertConfigFields {
  /** The id of <s>, the first token of every sequence. */
  bos_token_id: number | null;
  /** The id of </s> (a list where several ids end a sequence). */
  eos_token_id: number | number[] | null;
}

const DEFAULTS: RobertaConfigFields = {
  ...(BertConfig.defaults as BertConfigFields),
  vocab_size: 50265,
  max_position_embeddings: 514,
  type_vocab_size: 1,
  layer_norm_eps: 1e-5,
  pad_token_id: 1,
  bos_token_id: 0,
  eos_token_id: 2,
  model_type: 'roberta',
};

export class RobertaConfig extends BertConfig {
  static override readonly modelType: string = 'roberta';
  static override readonly className: string = 'RobertaConfig';
  static override readonly defaults: object = DEFAULTS;
  declare readonly fields: RobertaConfigFields;

  constructor(fields: ConfigInput<RobertaConfigFields> = {}, extra: Record<string, unknown> = {}) {
    super(fields, extra);
  }

  /**
   * Positions are numbered after the padding id (fairseq's make_positions): the first token is
   * at pad_token_id + 1, so a sequence has max_position_embeddings - pad_token_id - 1 tokens at most.
   */
  get maxSequenceLength(): number {
    return this.fields.max_position_embeddings - this.fields.pad_token_id! - 1;
  }

  /** BERT's count without the NSP head, whose MLM head and classifier differ from BERT's. */
  protected override countParameters(): number {
    const f = this.fields;
    const [h, v] = [f.hidden_size, f.vocab_size];
    const untiedDecoder = f.tie_word_embeddings ? 0 : v * h + v;
    // What BertConfig adds to the encoder and pooler: its MLM head plus NSP, or its classifier.
    const bertHeads = Math.max(h * h + h + 2 * h + v + untiedDecoder + (2 * h + 2), this.numLabels * (h + 1));
    // The encoder plus a dense layer of the pooler's size (RobertaLMHead.dense, RobertaClassificationHead.dense).
    const encoderAndDense = super.countParameters() - bertHeads;
    // lm_head: layer_norm, bias (and an untied decoder); classifier: out_proj.
    return encoderAndDense + Math.max(2 * h + v + untiedDecoder, this.numLabels * (h + 1));
  }

  protected override validateFields(): void {
    super.validateFields();
    const f = this.fields;
    const who = this.className;
    // The padding id is the position embeddings' padding row and the offset of every position.
    if (f.pad_token_id === null) throw new RangeError(`${who}: pad_token_id must be an integer (RoBERTa numbers positions after it), got null`);
    checkNumber(who, 'pad_token_id', f.pad_token_id, { integer: true, min: 0, max: f.max_position_embeddings - 2, range: `[0, max_position_embeddings - 2 = ${f.max_position_embeddings - 2}]` });
    checkNumber(who, 'bos_token_id', f.bos_token_id, { integer: true, min: 0, max: LIMITS.vocab_size - 1, nullable: true });
    if (Array.isArray(f.eos_token_id)) {
      const ids: unknown[] = f.eos_token_id;
      if (ids.length === 0) throw new RangeError(`${who}: eos_token_id must be null, an integer or a non-empty list of integers, got []`);
      ids.forEach((id, i) => checkNumber(who, `eos_token_id[${i}]`, id, { integer: true, min: 0, max: LIMITS.vocab_size - 1 }));
    } else {
      checkNumber(who, 'eos_token_id', f.eos_token_id, { integer: true, min: 0, max: LIMITS.vocab_size - 1, nullable: true });
    }
  }
}

/** The config argument of every RoBERTa module: a RobertaConfig (or XLMRobertaConfig), or a TypeError naming the module. */
export function expectRobertaConfig(value: unknown, who: string): asserts value is RobertaConfig {
  expectConfig(value, RobertaConfig, who);
}

/** The positions a fresh model needs for sequences of seqLen tokens: two more than BERT's, for the offset after the padding id. */
export function positionFields(seqLen: number): { max_position_embeddings: number } {
  return { max_position_embeddings: Math.max(512, seqLen) + 2 };
}
