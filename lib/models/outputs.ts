import type { EncoderExtras } from './tasks.js';

/** The hidden states and attentions a head passes on from its encoder, when they were asked for. */
export function encoderExtras(out: EncoderExtras): EncoderExtras {
  return { ...(out.hiddenStates ? { hiddenStates: out.hiddenStates } : {}), ...(out.attentions ? { attentions: out.attentions } : {}) };
}
