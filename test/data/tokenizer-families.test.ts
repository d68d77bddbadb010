// Tokenizers of every family: folders written by transformers (byte-level BPE as RoBERTa and
// ModernBERT, Unigram as XLM-RoBERTa and DeBERTa-v3, WordPiece as BERT) load through
// AutoTokenizer and give transformers' ids, token types and special-token masks, for single
// texts and pairs, with and without truncation; the special tokens come from the folder.
import t from 'tap';
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { AutoTokenizer, data } from '../../lib/index.js';
import { missingPython, runPython } from '../helpers/python.js';

const skip = missingPython('transformers', 'tokenizers');
const root = mkdtempSync(join(tmpdir(), 'plm-tok-families-'));

const CORPUS = [
  'Pretrained language models move from general text to a domain.',
  'The patient was given 5 mg of amlodipine; blood pressure fell.',
  'Masked language modelling predicts hidden words from their context!',
  'Fine-tuning adapts the encoder to classification, sentiment and question answering.',
  'Domain-adaptive pretraining continues on clinical notes, contracts or code.',
  'Ünïcödé, naïve café — and 中文 text too.',
];
const TEXTS = ['Pretrained models move to a domain.', 'Blood pressure fell after amlodipine!', 'naïve café 中文', ''];
const PAIRS: [string, string][] = [
  ['What fell?', 'The patient was given 5 mg of amlodipine; blood pressure fell.'],
  ['Fine-tuning adapts the encoder.', 'Question answering and sentiment.'],
];

const PY = `
import json, os
from tokenizers import Tokenizer, models, trainers, pre_tokenizers, decoders, processors, normalizers
from transformers import RobertaTokenizerFast, XLMRobertaTokenizerFast, DebertaV2TokenizerFast, PreTrainedTokenizerFast, BertTokenizerFast
corpus = inp['corpus'] * 20
root = inp['root']
def bpe(specials):
    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    tok.train_from_iterator(corpus, trainers.BpeTrainer(vocab_size=300, special_tokens=specials, initial_alphabet=pre_tokenizers.ByteLevel.alphabet()))
    return tok
def unigram(specials):
    tok = Tokenizer(models.Unigram())
    tok.normalizer = normalizers.NFKC()
    tok.pre_tokenizer = pre_tokenizers.Metaspace()
    tok.decoder = decoders.Metaspace()
    tok.train_from_iterator(corpus, trainers.UnigramTrainer(vocab_size=200, special_tokens=specials, unk_token=specials[3] if len(specials) > 3 else None))
    return tok
made = {}
# RoBERTa: <s> <pad> </s> <unk> <mask>, template <s> A </s></s> B </s>
t = bpe(['<s>', '<pad>', '</s>', '<unk>', '<mask>'])
t.post_processor = processors.RobertaProcessing(('</s>', t.token_to_id('</s>')), ('<s>', t.token_to_id('<s>')), add_prefix_space=False)
made['roberta'] = RobertaTokenizerFast(tokenizer_object=t, bos_token='<s>', eos_token='</s>', sep_token='</s>', cls_token='<s>', unk_token='<unk>', pad_token='<pad>', mask_token='<mask>')
# XLM-RoBERTa: Unigram with <s> <pad> </s> <unk> and <mask>
t = unigram(['<s>', '<pad>', '</s>', '<unk>', '<mask>'])
t.post_processor = processors.TemplateProcessing(single='<s> $A </s>', pair='<s> $A </s> </s> $B </s>', special_tokens=[('<s>', 0), ('</s>', 2)])
made['xlm-roberta'] = XLMRobertaTokenizerFast(tokenizer_object=t, bos_token='<s>', eos_token='</s>', sep_token='</s>', cls_token='<s>', unk_token='<unk>', pad_token='<pad>', mask_token='<mask>')
# DeBERTa-v3: Unigram with [PAD] [CLS] [SEP] [UNK] [MASK], BERT's template with token types
t = unigram(['[PAD]', '[CLS]', '[SEP]', '[UNK]', '[MASK]'])
t.post_processor = processors.TemplateProcessing(single='[CLS] $A [SEP]', pair='[CLS] $A [SEP] $B:1 [SEP]:1', special_tokens=[('[CLS]', 1), ('[SEP]', 2)])
made['deberta-v2'] = DebertaV2TokenizerFast(tokenizer_object=t, bos_token='[CLS]', eos_token='[SEP]', sep_token='[SEP]', cls_token='[CLS]', unk_token='[UNK]', pad_token='[PAD]', mask_token='[MASK]')
# ModernBERT: byte-level BPE with BERT-style specials
t = bpe(['|||IP_ADDRESS|||', '<|padding|>', '[UNK]', '[CLS]', '[SEP]', '[PAD]', '[MASK]'])
t.post_processor = processors.TemplateProcessing(single='[CLS] $A [SEP]', pair='[CLS] $A [SEP] $B [SEP]', special_tokens=[('[CLS]', t.token_to_id('[CLS]')), ('[SEP]', t.token_to_id('[SEP]'))])
made['modernbert'] = PreTrainedTokenizerFast(tokenizer_object=t, cls_token='[CLS]', sep_token='[SEP]', unk_token='[UNK]', pad_token='[PAD]', mask_token='[MASK]')
res = {}
for name, tok in made.items():
    d = os.path.join(root, name)
    tok.save_pretrained(d)
    tok = __import__('transformers').AutoTokenizer.from_pretrained(d)
    def enc(a, b=None, **kw):
        e = tok(a, b, return_special_tokens_mask=True, return_token_type_ids=True, **kw)
        return {'ids': e['input_ids'], 'types': e['token_type_ids'], 'special': e['special_tokens_mask']}
    res[name] = {
        'singles': [enc(x) for x in inp['texts']],
        'pairs': [enc(a, b) for a, b in inp['pairs']],
        'truncated': [enc(a, b, truncation=True, max_length=12) for a, b in inp['pairs']],
        'specials': {r: getattr(tok, r + '_token') for r in ('cls', 'sep', 'pad', 'mask', 'unk', 'bos', 'eos')},
        'mask_id': tok.mask_token_id, 'pad_id': tok.pad_token_id, 'vocab': len(tok),
        'decoded': tok.decode(tok(inp['texts'][0])['input_ids'], skip_special_tokens=True),
    }
out(res)
`;

interface Encoded { ids: number[]; types: number[]; special: number[] }
interface Family { singles: Encoded[]; pairs: Encoded[]; truncated: Encoded[]; specials: Record<string, string | null>; mask_id: number; pad_id: number; vocab: number; decoded: string }

t.test('AutoTokenizer gives transformers\' ids for every kind of tokenizer', { skip }, async (t) => {
  const ref = runPython<Record<string, Family>>(PY, { corpus: CORPUS, texts: TEXTS, pairs: PAIRS, root });
  for (const [name, r] of Object.entries(ref)) {
    const dir = join(root, name);
    const tok = AutoTokenizer.fromPretrained(dir);
    const ours = async (a: string, b?: string, maxLength?: number): Promise<Encoded> => {
      const e = await tok.encode(a, b ?? null, maxLength === undefined ? {} : { maxLength });
      return { ids: e.ids, types: e.typeIds, special: e.specialTokensMask };
    };
    for (const [i, text] of TEXTS.entries()) {
      const e = await ours(text);
      t.same(e.ids, r.singles[i]!.ids, `${name}: ids of ${JSON.stringify(text)}`);
      t.same(e.special, r.singles[i]!.special, `${name}: special-token mask of ${JSON.stringify(text)}`);
    }
    for (const [i, [a, b]] of PAIRS.entries()) {
      t.same(await ours(a, b), r.pairs[i], `${name}: pair ${i}: ids, token types, special mask`);
      t.same(await ours(a, b, 12), r.truncated[i], `${name}: pair ${i} truncated to 12 (longest first)`);
    }
    const specials = Object.fromEntries(Object.entries(tok.specialTokens));
    for (const [role, token] of Object.entries(r.specials)) t.equal(specials[role], token, `${name}: ${role} token ${token}`);
    t.equal(tok.maskId, r.mask_id, `${name}: mask id`);
    t.equal(tok.padId, r.pad_id, `${name}: pad id`);
    t.equal(tok.vocabSize, r.vocab, `${name}: vocabulary size`);
    t.equal(await tok.decode((await tok.encode(TEXTS[0]!)).ids), r.decoded, `${name}: decode skips the specials`);
    t.same(tok.specialIds, [...new Set(Object.values(r.specials).filter((x): x is string => x !== null).map((x) => tok.tokenToId(x)!))].sort((a, b) => a - b), `${name}: special ids`);
    // Saved here, read back by transformers with the same ids.
    const saved = join(root, `${name}-ours`);
    tok.save(saved);
    const again = runPython<{ ids: number[][]; cls: string }>(
      `from transformers import AutoTokenizer\ntok = AutoTokenizer.from_pretrained(inp['dir'])\nout({'ids': [tok(a, b)['input_ids'] for a, b in inp['pairs']], 'cls': tok.cls_token})`,
      { dir: saved, pairs: PAIRS },
    );
    t.same(again.ids, r.pairs.map((p) => p.ids), `${name}: a folder saved here gives transformers the same ids`);
    t.equal(again.cls, r.specials.cls, `${name}: and the same special tokens`);
  }
});

t.test('a folder with only a SentencePiece model, or with no tokenizer, is a clear error', async (t) => {
  const dir = join(root, 'spm-only');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'spm.model'), 'not read');
  t.throws(() => AutoTokenizer.fromPretrained(dir), /has only a SentencePiece model \(spm\.model\).*save_pretrained\(dir\) writes tokenizer\.json/);
  t.throws(() => AutoTokenizer.fromPretrained(join(root, 'nowhere')), /tokenizer folder .*nowhere does not exist/);
  const empty = join(root, 'empty');
  mkdirSync(empty);
  t.throws(() => AutoTokenizer.fromPretrained(empty), /has neither tokenizer\.json nor vocab\.txt/);
});

t.test('a tokenizer without a mask token says so where masking needs one', async (t) => {
  const tok = data.BertTokenizer.fromVocab(['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]', 'a']);
  const dir = join(root, 'no-mask');
  tok.save(dir);
  writeFileSync(join(dir, 'tokenizer_config.json'), JSON.stringify({ mask_token: null, cls_token: '[CLS]', sep_token: '[SEP]', pad_token: '[PAD]', unk_token: '[UNK]' }));
  const loaded = AutoTokenizer.fromPretrained(dir);
  t.equal(loaded.specialTokens.mask, null);
  t.throws(() => loaded.maskId, /the tokenizer has no mask token, which masked language modelling needs/);
  writeFileSync(join(dir, 'tokenizer_config.json'), JSON.stringify({ mask_token: '<mask>' }));
  t.throws(() => AutoTokenizer.fromPretrained(dir), /the vocabulary has no <mask> token \(the mask token the tokenizer config names\)/);
});

t.test('a folder whose tokenizer_config.json names no special tokens gets its class\'s (bert-base-uncased holds only do_lower_case)', async (t) => {
  const tok = data.BertTokenizer.fromVocab(['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]', 'a']);
  const dir = join(root, 'bare-config');
  tok.save(dir);
  writeFileSync(join(dir, 'tokenizer_config.json'), JSON.stringify({ do_lower_case: true }));
  const { rmSync } = await import('node:fs');
  rmSync(join(dir, 'special_tokens_map.json'));
  const loaded = AutoTokenizer.fromPretrained(dir);
  t.same(loaded.specialTokens, { cls: '[CLS]', sep: '[SEP]', pad: '[PAD]', mask: '[MASK]', unk: '[UNK]', bos: null, eos: null });
});
