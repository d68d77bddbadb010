// A folder's masked LM for filling masks or measuring MLM loss: refused when the folder lacks the
// head's weights (an ELECTRA discriminator, a classifier, a bare encoder), since a fresh random
// head would give meaningless fillers and perplexities rather than an error.
import { AutoModelForMaskedLM } from '../models/auto.js';
import type { MaskedLanguageModel } from '../models/tasks.js';

export async function maskedLmFromFolder(dir: string, architecture: string): Promise<MaskedLanguageModel> {
  const model = await AutoModelForMaskedLM.fromPretrained(dir);
  const missing = model.loadReport?.missingKeys ?? [];
  if (missing.length > 0) {
    throw new Error(`${dir} holds ${architecture} weights without a masked-LM head (missing ${missing.slice(0, 3).join(', ')}${missing.length > 3 ? ', …' : ''}): filling masks and MLM loss need a masked language model folder`);
  }
  return model;
}
