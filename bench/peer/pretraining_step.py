# The peer side of bench/pretraining.ts: transformers' pretraining model of a family
# (config.json's architectures: BertForPreTraining, RobertaForMaskedLM, ModernBertForMaskedLM)
# on the same libtorch (the torch wheel plm-torch links), the same configuration and the same
# batch. One request a line on stdin: "CONFIG_JSON_PATH BATCH_PATH DTYPE STEPS" -> one JSON line
# of timings.
import inspect
import json
import sys
import time

import torch
import transformers
from safetensors.torch import load_file

DEVICE = sys.argv[1] if len(sys.argv) > 1 else "cpu"
models = {}


def model_for(config_path):
    if config_path not in models:
        torch.manual_seed(0)
        fields = json.load(open(config_path))
        # JSON writes 2.0 as 2; transformers 5 refuses an int where its config types a float.
        defaults = transformers.AutoConfig.for_model(fields["model_type"]).to_dict()
        fields = {k: float(v) if isinstance(defaults.get(k), float) and type(v) is int else v for k, v in fields.items()}
        config = transformers.AutoConfig.for_model(**fields)
        config._attn_implementation = "sdpa"
        model = getattr(transformers, fields["architectures"][0])(config).to(DEVICE).train()
        optimizer = torch.optim.AdamW(model.parameters(), lr=1e-4, weight_decay=0.01)
        accepted = set(inspect.signature(model.forward).parameters)
        models[config_path] = (model, optimizer, accepted)
    return models[config_path]


def step(model, optimizer, accepted, batch, dtype):
    with torch.autocast(DEVICE, dtype=torch.bfloat16, enabled=dtype == "bfloat16"):
        # The batch's NSP labels and token types go only to a model that takes them (BERT).
        wanted = ["input_ids", "attention_mask", "labels"] + (["token_type_ids", "next_sentence_label"] if "next_sentence_label" in accepted else [])
        out = model(**{k: batch[k] for k in wanted})
    out.loss.backward()
    optimizer.step()
    optimizer.zero_grad(set_to_none=True)
    return out.loss.item()


for line in sys.stdin:
    config_path, batch_path, dtype, steps = line.split()
    model, optimizer, accepted = model_for(config_path)
    batch = load_file(batch_path, device=DEVICE)
    started = time.perf_counter()
    loss = 0.0
    for _ in range(int(steps)):
        loss = step(model, optimizer, accepted, batch, dtype)
    seconds = time.perf_counter() - started
    # VmHWM, not ru_maxrss: getrusage's maximum survives fork and exec, so a child started by a
    # large process reports its parent's peak.
    peak = next(int(line.split()[1]) * 1024 for line in open("/proc/self/status") if line.startswith("VmHWM:"))
    print(json.dumps({"seconds": seconds, "loss": loss, "peakRss": peak}), flush=True)
