/**
 * Upper bounds past which a config value can only be a mistake (a typo, a stray exponent, a
 * hostile file). Without them a config.json with num_hidden_layers 1e7 is found out by
 * building the model, and V8's heap dies at 6.5 GB. Each bound is generous: the biggest public
 * encoders (XLM-RoBERTa-XXL, DeBERTa-v2-xxlarge) have hidden_size 4096, intermediate_size
 * 16384, 48 layers, 32 heads and a vocabulary of 250k (XLM-V's 901k is the largest known);
 * long-context encoders (ModernBERT, Jina, Nomic) have 8192 positions; BERT has 2 segment types.
 */
export const LIMITS = {
  /** 21× the deepest public encoder (48). */
  num_hidden_layers: 1024,
  /** Heads must also divide hidden_size; 32× XLM-RoBERTa-XXL's 32. */
  num_attention_heads: 1024,
  /** 16× the widest public encoder (4096), wider than any published language model. */
  hidden_size: 65536,
  /** 16× the widest public encoder's feed-forward (16384). */
  intermediate_size: 262144,
  /** 10× XLM-V's 901,629 tokens; well inside int32 token ids (2^31 - 1). */
  vocab_size: 10_000_000,
  /** 2^20 positions, 128× the long-context encoders' 8192. */
  max_position_embeddings: 1 << 20,
  /** BERT has 2 segment types, a few models 16. */
  type_vocab_size: 1024,
  /** Labels of a classification head; extreme classification sets (Amazon-670K) fit. */
  num_labels: 1_000_000,
  /**
   * Parameters of the largest model a config builds: 100 billion, 10× XLM-RoBERTa-XXL's
   * 10.7B, is 400 GB in float32. Computed from the sizes before anything is allocated.
   */
  parameters: 100e9,
} as const;
