# The peer side of bench/pretraining.ts: transformers' BertForPreTraining on the same libtorch
# (the torch wheel plm-torch links), the same configuration and the same batch. One request a
# line on stdin: "CONFIG_JSON_PATH BATCH_PATH DTYPE STEPS" -> one JSON line of timings.
import json
import sys
import time

import torch
from safetensors.torch import load_file
from transformers import BertConfig, BertForPreTraining

DEVICE = sys.argv[1] if len(sys.argv) > 1 else "cpu"
models = {}


def model_for(config_path):
    if config_path not in models:
        torch.manual_seed(0)
        config = BertConfig(**json.load(open(config_path)))
        config._attn_implementation = "sdpa"
        model = BertForPreTraining(config).to(DEVICE).train()
        optimizer = torch.optim.AdamW(model.parameters(), lr=1e-4, weight_decay=0.01)
        models[config_path] = (model, optimizer)
    return models[config_path]


def step(model, optimizer, batch, dtype):
    with torch.autocast(DEVICE, dtype=torch.bfloat16, enabled=dtype == "bfloat16"):
        out = model(
            input_ids=batch["input_ids"],
            token_type_ids=batch["token_type_ids"],
            attention_mask=batch["attention_mask"],
            labels=batch["labels"],
            next_sentence_label=batch["next_sentence_label"],
        )
    out.loss.backward()
    optimizer.step()
    optimizer.zero_grad(set_to_none=True)
    return out.loss.item()


for line in sys.stdin:
    config_path, batch_path, dtype, steps = line.split()
    model, optimizer = model_for(config_path)
    batch = load_file(batch_path, device=DEVICE)
    started = time.perf_counter()
    loss = 0.0
    for _ in range(int(steps)):
        loss = step(model, optimizer, batch, dtype)
    seconds = time.perf_counter() - started
    # VmHWM, not ru_maxrss: getrusage's maximum survives fork and exec, so a child started by a
    # large process reports its parent's peak.
    peak = next(int(line.split()[1]) * 1024 for line in open("/proc/self/status") if line.startswith("VmHWM:"))
    print(json.dumps({"seconds": seconds, "loss": loss, "peakRss": peak}), flush=True)
