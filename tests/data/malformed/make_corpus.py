#!/usr/bin/env python3
"""Writes the malformed-model corpus next to this script, and MANIFEST.tsv listing every case
with the substring its error message must contain. The files are committed; rerun this script
(python3 make_corpus.py) only to change the corpus, then commit what it wrote.

Every broken case is one defect applied to a valid tiny model (hidden 4, one layer, vocab 8),
and the valid models themselves live under _valid/ so the test can show that they load: a case
then fails because of its defect, not because the base was already broken.
"""
import json
import os
import shutil
import struct

ROOT = os.path.dirname(os.path.abspath(__file__))

CONFIG = {
    "architectures": ["LlamaForCausalLM"],
    "model_type": "llama",
    "hidden_size": 4,
    "intermediate_size": 4,
    "num_hidden_layers": 1,
    "num_attention_heads": 2,
    "num_key_value_heads": 2,
    "vocab_size": 8,
    "max_position_embeddings": 16,
    "rms_norm_eps": 1e-5,
    "hidden_act": "silu",
    "tie_word_embeddings": True,
    "torch_dtype": "float32",
}

MATRICES = ["self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj", "self_attn.o_proj",
            "mlp.gate_proj", "mlp.up_proj", "mlp.down_proj"]


def floats(n, seed):
    return struct.pack("<%df" % n, *[((i * 37 + seed * 11) % 17 - 8) / 64.0 for i in range(n)])


def fp32_tensors():
    """(name, dtype, shape, bytes) of the tiny model, in model order."""
    t = [("model.embed_tokens.weight", "F32", [8, 4], floats(32, 1)),
         ("model.layers.0.input_layernorm.weight", "F32", [4], struct.pack("<4f", 1, 1, 1, 1)),
         ("model.layers.0.post_attention_layernorm.weight", "F32", [4], struct.pack("<4f", 1, 1, 1, 1)),
         ("model.norm.weight", "F32", [4], struct.pack("<4f", 1, 1, 1, 1))]
    for i, m in enumerate(MATRICES):
        t.append(("model.layers.0.%s.weight" % m, "F32", [4, 4], floats(16, i + 2)))
    return t


def int8_tensors():
    """The tiny model as `quantscope quantize --method int8-dynamic` stores it."""
    out = []
    for name, dtype, shape, data in fp32_tensors():
        if len(shape) == 1:
            out.append((name, dtype, shape, data))
            continue
        n = shape[0] * shape[1]
        out.append((name, "I8", shape, bytes((i * 29) % 255 for i in range(n))))
        out.append((name + ".scale", "F32", [shape[0]], struct.pack("<%df" % shape[0], *[0.01] * shape[0])))
    return out


def header_of(tensors, metadata=None):
    header = {}
    if metadata is not None:
        header["__metadata__"] = metadata
    offset = 0
    for name, dtype, shape, data in tensors:
        header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [offset, offset + len(data)]}
        offset += len(data)
    return header


def safetensors_bytes(tensors, header=None, header_text=None):
    if header_text is None:
        header_text = json.dumps(header if header is not None else header_of(tensors), separators=(",", ":"))
    raw = header_text.encode()
    raw += b" " * ((8 - len(raw) % 8) % 8)
    return struct.pack("<Q", len(raw)) + raw + b"".join(t[3] for t in tensors)


def write(rel, content):
    path = os.path.join(ROOT, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(content.encode() if isinstance(content, str) else content)


def folder(rel, config=CONFIG, tensors=None, st=None, extra=None):
    """An HF-style folder: config.json (a dict, or raw text), model.safetensors, extra files."""
    if config is not None:
        write(rel + "/config.json", config if isinstance(config, (str, bytes)) else json.dumps(config, indent=1))
    if st is None and tensors is not False:
        st = safetensors_bytes(fp32_tensors() if tensors is None else tensors)
    if st is not None:
        write(rel + "/model.safetensors", st)
    for name, content in (extra or {}).items():
        write(rel + "/" + name, content)


def config_with(**changes):
    c = dict(CONFIG)
    for k, v in changes.items():
        if v is None:
            c.pop(k, None)
        else:
            c[k] = v
    return c


def quantized_config(**changes):
    q = {"quant_method": "quantscope", "format_version": 1, "method": "int8-dynamic",
         "quantize_embeddings": True,
         "tensors": {n: {"format": "int8", "mode": "dynamic"} for n, _, s, _ in fp32_tensors() if len(s) == 2}}
    for k, v in changes.items():
        if v is None:
            q.pop(k, None)
        else:
            q[k] = v
    return config_with(quantization_config=q)


def llama2c(dim=4, hidden=4, layers=1, heads=2, kv_heads=2, vocab=8, seq=4, weights=None):
    header = struct.pack("<7i", dim, hidden, layers, heads, kv_heads, vocab, seq)
    if weights is None:
        head = dim // heads
        n = (vocab * dim + layers * (2 * dim + 2 * dim * dim + 2 * kv_heads * head * dim + 3 * dim * hidden)
             + dim + seq * head)
        weights = floats(n, 3)
    return header + weights


BPE_VOCAB = json.dumps({"a": 0, "b": 1, "ab": 2, "<|endoftext|>": 3})
GARBAGE = bytes((i * 131 + 7) % 256 for i in range(96))

CASES = []  # (path, expected substring, command after the path)


def case(path, expected, command="stats"):
    CASES.append((path, expected, command))


def build():
    for d in os.listdir(ROOT):
        if os.path.isdir(os.path.join(ROOT, d)):
            shutil.rmtree(os.path.join(ROOT, d))

    # The valid bases every case below breaks in one place.
    folder("_valid/hf")
    folder("_valid/hf-tokenizer", extra={"vocab.json": BPE_VOCAB, "merges.txt": "a b\n"})
    # Real checkpoints carry extra tensors (rotary inv_freq, ...) and zero-sized ones; both load.
    folder("_valid/hf-extra-tensors", tensors=fp32_tensors() + [
        ("model.layers.x.rotary_emb.inv_freq", "F32", [2], floats(2, 9)), ("empty", "F32", [0], b"")])
    folder("_valid/quantized-int8", config=quantized_config(), tensors=int8_tensors())
    write("_valid/llama2c/model.bin", llama2c())

    # --- config.json (checked before any weights are opened, so most cases have none) ---
    folder("config/missing", config=None)
    case("config/missing", "no config.json in this folder")
    folder("config/empty", config="", tensors=False)
    case("config/empty", "file is empty")
    folder("config/garbled", config='{"architectures": ["LlamaForCausalLM"], "hidden_size": 4,', tensors=False)
    case("config/garbled", "not valid JSON")
    folder("config/binary", config=GARBAGE, tensors=False)
    case("config/binary", "not valid JSON")
    folder("config/array", config="[1, 2, 3]", tensors=False)
    case("config/array", "not a JSON object")
    folder("config/no-architectures", config=config_with(architectures=None), tensors=False)
    case("config/no-architectures", 'missing "architectures"')
    folder("config/architectures-not-list", config=config_with(architectures="LlamaForCausalLM"), tensors=False)
    case("config/architectures-not-list", '"architectures" must be a list')
    folder("config/unknown-architecture", config=config_with(architectures=["GPT2LMHeadModel"]), tensors=False)
    case("config/unknown-architecture", 'unsupported architecture "GPT2LMHeadModel"')
    folder("config/rope-scaling", config=config_with(rope_scaling={"type": "linear", "factor": 2.0}), tensors=False)
    case("config/rope-scaling", "rope_scaling is not supported")
    folder("config/hidden-size-string", config=config_with(hidden_size="4"), tensors=False)
    case("config/hidden-size-string", '"hidden_size" must be a positive integer')
    folder("config/hidden-size-float", config=config_with(hidden_size=4.5), tensors=False)
    case("config/hidden-size-float", '"hidden_size" must be a positive integer')
    folder("config/missing-vocab-size", config=config_with(vocab_size=None), tensors=False)
    case("config/missing-vocab-size", 'missing "vocab_size"')
    folder("config/zero-layers", config=config_with(num_hidden_layers=0), tensors=False)
    case("config/zero-layers", '"num_hidden_layers" must be a positive integer')
    folder("config/negative-heads", config=config_with(num_attention_heads=-2), tensors=False)
    case("config/negative-heads", '"num_attention_heads" must be a positive integer')
    folder("config/huge-hidden-size", config=config_with(hidden_size=2 ** 40), tensors=False)
    case("config/huge-hidden-size", '"hidden_size" must be a positive integer')
    folder("config/heads-not-dividing-hidden", config=config_with(num_attention_heads=3, num_key_value_heads=3), tensors=False)
    case("config/heads-not-dividing-hidden", "hidden_size is not a multiple of num_attention_heads")
    folder("config/kv-heads-not-dividing", config=config_with(num_key_value_heads=3), tensors=False)
    case("config/kv-heads-not-dividing", "num_attention_heads is not a multiple of num_key_value_heads")
    folder("config/odd-head-dim", config=config_with(head_dim=3), tensors=False)
    case("config/odd-head-dim", "head_dim must be even")
    folder("config/eos-string", config=config_with(eos_token_id="</s>"), tensors=False)
    case("config/eos-string", '"eos_token_id" must be an integer or a list of integers')
    folder("config/hidden-act-gelu", config=config_with(hidden_act="gelu"), tensors=False)
    case("config/hidden-act-gelu", 'hidden_act "gelu" is not supported')
    folder("config/negative-rms-eps", config=config_with(rms_norm_eps=-1e-5), tensors=False)
    case("config/negative-rms-eps", '"rms_norm_eps" must be a positive number')
    folder("config/tie-not-bool", config=config_with(tie_word_embeddings="yes"), tensors=False)
    case("config/tie-not-bool", '"tie_word_embeddings" must be true or false')
    # A head size far beyond the weights: must fail on the shapes, not allocate RoPE tables.
    folder("config/huge-head-dim", config=config_with(head_dim=2 ** 30))
    case("config/huge-head-dim", "but the model configuration implies [2147483648, 4]")
    folder("config/more-layers-than-weights", config=config_with(num_hidden_layers=100000))
    case("config/more-layers-than-weights", "tensor 'model.layers.1.input_layernorm.weight' is missing")

    # --- safetensors ---
    folder("safetensors/missing", tensors=False)
    case("safetensors/missing", "no model.safetensors or model.safetensors.index.json")
    folder("safetensors/empty", st=b"")
    case("safetensors/empty", "model.safetensors: file is empty")
    folder("safetensors/shorter-than-8-bytes", st=b"\x10\x00\x00\x00\x00")
    case("safetensors/shorter-than-8-bytes", "too short to be safetensors")
    folder("safetensors/header-longer-than-file", st=struct.pack("<Q", 4096) + b'{"a":1}')
    case("safetensors/header-longer-than-file", "header length 4096 exceeds the file size 15")
    folder("safetensors/header-length-absurd", st=struct.pack("<Q", 2 ** 63 + 5) + b"{}      ")
    case("safetensors/header-length-absurd", "larger than the 100 MB safetensors limit")
    folder("safetensors/header-length-zero", st=struct.pack("<Q", 0) + b"\0" * 16)
    case("safetensors/header-length-zero", "header is empty")
    folder("safetensors/header-not-json", st=safetensors_bytes([], header_text="dtype: F32, shape: [4]"))
    case("safetensors/header-not-json", "header is not valid JSON")
    folder("safetensors/header-array", st=safetensors_bytes([], header_text="[1, 2]"))
    case("safetensors/header-array", "header is not a JSON object")
    folder("safetensors/metadata-not-object", st=safetensors_bytes(fp32_tensors(),
           header={"__metadata__": 5, **header_of(fp32_tensors())}))
    case("safetensors/metadata-not-object", "__metadata__ is not an object")

    def edited(rel, edit, tensors=None):
        tensors = tensors or fp32_tensors()
        h = header_of(tensors)
        edit(h)
        folder(rel, st=safetensors_bytes(tensors, header=h))

    norm = "model.norm.weight"
    q = "model.layers.0.self_attn.q_proj.weight"
    edited("safetensors/entry-not-object", lambda h: h.__setitem__(norm, 5))
    case("safetensors/entry-not-object", "tensor 'model.norm.weight' is not a JSON object")
    edited("safetensors/unknown-dtype", lambda h: h[norm].__setitem__("dtype", "Q4_K"))
    case("safetensors/unknown-dtype", "tensor 'model.norm.weight' has unknown dtype 'Q4_K'")
    edited("safetensors/integer-weight", lambda h: h[norm].__setitem__("dtype", "I32"))
    case("safetensors/integer-weight", "tensor 'model.norm.weight' has dtype I32 (supported: F32, F16, BF16)")
    edited("safetensors/offsets-out-of-range", lambda h: h[norm].__setitem__(
        "data_offsets", [h[norm]["data_offsets"][0] + 4096, h[norm]["data_offsets"][1] + 4096]))
    case("safetensors/offsets-out-of-range", "beyond the")
    edited("safetensors/offsets-overlap", lambda h: h[norm].__setitem__("data_offsets", [0, 16]))
    case("safetensors/offsets-overlap", "overlap")
    edited("safetensors/offsets-reversed", lambda h: h[norm].__setitem__(
        "data_offsets", h[norm]["data_offsets"][::-1]))
    case("safetensors/offsets-reversed", "data_offsets that end before they begin")
    edited("safetensors/offsets-negative", lambda h: h[norm].__setitem__("data_offsets", [-16, 0]))
    case("safetensors/offsets-negative", "tensor 'model.norm.weight' has invalid data_offsets")
    edited("safetensors/offsets-not-matching-shape", lambda h: h[norm].__setitem__("shape", [3]))
    case("safetensors/offsets-not-matching-shape", "needing 12 bytes but data_offsets span 16")
    edited("safetensors/shape-negative", lambda h: h[norm].__setitem__("shape", [-4]))
    case("safetensors/shape-negative", "tensor 'model.norm.weight' has an invalid shape")
    edited("safetensors/shape-overflow", lambda h: h[norm].__setitem__("shape", [2 ** 62, 2 ** 62]))
    case("safetensors/shape-overflow", "has a shape too large for the file")
    edited("safetensors/shape-not-config", lambda h: h[q].__setitem__("shape", [8, 2]))
    case("safetensors/shape-not-config", "has shape [8, 2] but the model configuration implies [4, 4]")
    folder("safetensors/missing-tensor", tensors=[t for t in fp32_tensors() if t[0] != norm])
    case("safetensors/missing-tensor", "tensor 'model.norm.weight' is missing")
    # Two entries for one name: JSON parsers keep one silently; safetensors forbids it.
    text = json.dumps(header_of(fp32_tensors()), separators=(",", ":"))
    dup = '{"%s":{"dtype":"F32","shape":[4],"data_offsets":[0,16]},' % norm + text[1:]
    folder("safetensors/duplicate-name", st=safetensors_bytes(fp32_tensors(), header_text=dup))
    case("safetensors/duplicate-name", "tensor 'model.norm.weight' appears twice in the header")
    folder("safetensors/is-a-directory", tensors=False)
    os.makedirs(os.path.join(ROOT, "safetensors/is-a-directory/model.safetensors"))
    write("safetensors/is-a-directory/model.safetensors/.keep", "")
    case("safetensors/is-a-directory", "model.safetensors: not a regular file")
    # Sharded checkpoints.
    tensors = fp32_tensors()
    index = {"metadata": {}, "weight_map": {t[0]: "model-00001-of-00002.safetensors" for t in tensors[:5]}}
    index["weight_map"].update({t[0]: "model-00002-of-00002.safetensors" for t in tensors[5:]})
    folder("sharded/missing-shard", tensors=False, extra={
        "model.safetensors.index.json": json.dumps(index, indent=1),
        "model-00001-of-00002.safetensors": safetensors_bytes(tensors[:5])})
    case("sharded/missing-shard", "shard model-00002-of-00002.safetensors is missing")
    folder("sharded/index-garbled", tensors=False, extra={"model.safetensors.index.json": '{"weight_map": {'})
    case("sharded/index-garbled", "model.safetensors.index.json: not valid JSON")
    folder("sharded/index-no-weight-map", tensors=False, extra={"model.safetensors.index.json": '{"metadata": {}}'})
    case("sharded/index-no-weight-map", 'missing "weight_map"')
    folder("sharded/shard-escapes-folder", tensors=False, extra={
        "model.safetensors.index.json": json.dumps({"weight_map": {norm: "../../config/empty/config.json"}})})
    case("sharded/shard-escapes-folder", 'invalid shard file name "../../config/empty/config.json"')
    folder("sharded/tensor-in-two-shards", tensors=False, extra={
        "model.safetensors.index.json": json.dumps(
            {"weight_map": dict({t[0]: "a.safetensors" for t in tensors}, x="b.safetensors")}),
        "a.safetensors": safetensors_bytes(tensors),
        "b.safetensors": safetensors_bytes(tensors[-1:])})
    case("sharded/tensor-in-two-shards", "also appears in another shard")

    # --- tokenizers (in an otherwise valid model folder) ---
    folder("tokenizer/none-beside-model")
    case("tokenizer/none-beside-model", "no tokenizer found beside the model", "tokenize --text hello")
    folder("tokenizer/none-beside-model-generate")
    case("tokenizer/none-beside-model-generate", "the model has no tokenizer", "generate --prompt hello")
    folder("tokenizer/tokenizer-json-garbled", extra={"tokenizer.json": '{"model": {"type": "BPE", "vocab": {'})
    case("tokenizer/tokenizer-json-garbled", "tokenizer.json: not valid JSON")
    folder("tokenizer/tokenizer-json-not-object", extra={"tokenizer.json": "[]"})
    case("tokenizer/tokenizer-json-not-object", "tokenizer.json")
    folder("tokenizer/vocab-json-garbled", extra={"vocab.json": '{"a": 0, "b": ', "merges.txt": "a b\n"})
    case("tokenizer/vocab-json-garbled", "vocab.json: not valid JSON")
    folder("tokenizer/vocab-json-not-ids", extra={"vocab.json": '{"a": "zero"}', "merges.txt": "a b\n"})
    case("tokenizer/vocab-json-not-ids", "vocab.json")
    folder("tokenizer/merges-three-parts", extra={"vocab.json": BPE_VOCAB, "merges.txt": "a b c\n"})
    case("tokenizer/merges-three-parts", 'merges.txt: line 1 is not a merge "left right"')
    folder("tokenizer/merges-unknown-token", extra={"vocab.json": BPE_VOCAB, "merges.txt": "a zz\n"})
    case("tokenizer/merges-unknown-token", "merges.txt: line 1")
    folder("tokenizer/vocab-without-merges", extra={"vocab.json": BPE_VOCAB})
    case("tokenizer/vocab-without-merges", "no tokenizer in this folder")
    folder("tokenizer/sentencepiece-garbage", extra={"tokenizer.model": GARBAGE})
    case("tokenizer/sentencepiece-garbage", "tokenizer.model")

    # --- llama2.c checkpoints ---
    write("llama2c/empty.bin", b"")
    case("llama2c/empty.bin", "file is empty")
    write("llama2c/short-header.bin", struct.pack("<3i", 4, 4, 1))
    case("llama2c/short-header.bin", "too short for a llama2.c checkpoint header")
    write("llama2c/negative-dim.bin", llama2c(dim=-4, weights=b""))
    case("llama2c/negative-dim.bin", "header values out of range")
    write("llama2c/zero-layers.bin", llama2c(layers=0, weights=b""))
    case("llama2c/zero-layers.bin", "header values out of range")
    write("llama2c/absurd-vocab.bin", llama2c(vocab=2 ** 31 - 1, weights=b""))
    case("llama2c/absurd-vocab.bin", "header values out of range")
    write("llama2c/large-vocab-no-weights.bin", llama2c(vocab=500000, weights=b""))
    case("llama2c/large-vocab-no-weights.bin", "header describes 8000556 bytes but the file has 28")
    write("llama2c/truncated-weights.bin", llama2c()[:300])
    case("llama2c/truncated-weights.bin", "header describes 684 bytes but the file has 300")
    write("llama2c/heads-not-dividing-dim.bin", llama2c(heads=3, kv_heads=3, weights=b""))
    case("llama2c/heads-not-dividing-dim.bin", "dim is not a multiple of n_heads")
    write("llama2c/export-v1.bin", struct.pack("<2i", 0x616B3432, 1) + b"\0" * 248)
    case("llama2c/export-v1.bin", "llama2.c export version 1 is not supported")
    write("llama2c/garbage-tokenizer/model.bin", llama2c())
    write("llama2c/garbage-tokenizer/tok8.model", GARBAGE)
    case("llama2c/garbage-tokenizer/model.bin", "tok8.model")

    # --- quantized folders ---
    folder("quantized/unknown-method", config=quantized_config(method="int3"), tensors=False)
    case("quantized/unknown-method", 'unknown quantization method "int3"')
    folder("quantized/foreign-gptq", config=quantized_config(quant_method="gptq"), tensors=False)
    case("quantized/foreign-gptq", 'quantization_config of type "gptq" is not supported')
    folder("quantized/not-an-object", config=config_with(quantization_config="int8"), tensors=False)
    case("quantized/not-an-object", "quantization_config is not an object")
    folder("quantized/future-version", config=quantized_config(format_version=99), tensors=False)
    case("quantized/future-version", "unsupported Quantscope format version")
    folder("quantized/bad-group-size", config=quantized_config(method="int4", group_size=7), tensors=False)
    case("quantized/bad-group-size", "group_size must be 32, 64 or 128 (got 7)")
    folder("quantized/no-tensors-table", config=quantized_config(tensors=None), tensors=False)
    case("quantized/no-tensors-table", "quantization_config has no tensors table")
    folder("quantized/scales-missing", config=quantized_config(),
           tensors=[t for t in int8_tensors() if not t[0].endswith("q_proj.weight.scale")])
    case("quantized/scales-missing", "tensor 'model.layers.0.self_attn.q_proj.weight': int8 tensor '.scale' is missing")
    bad_format = quantized_config()
    bad_format["quantization_config"]["tensors"][q] = {"format": "int5"}
    folder("quantized/unknown-tensor-format", config=bad_format, tensors=int8_tensors())
    case("quantized/unknown-tensor-format", "int5")
    folder("quantized/fp32-values-for-int8", config=quantized_config(), tensors=fp32_tensors())
    case("quantized/fp32-values-for-int8", "int8 tensor '(values)' has dtype F32, expected I8")

    # --- not a model at all ---
    write("not-a-model/folder-without-model/README.txt", "notes, no model here\n")
    case("not-a-model/folder-without-model", "no config.json in this folder")
    write("not-a-model/notes.txt", "Once upon a time there was a text file that wanted to be a model.\n")
    case("not-a-model/notes.txt", "not a llama2.c checkpoint")
    write("not-a-model/model.gguf", b"GGUF\x03\0\0\0" + b"\0" * 24)
    case("not-a-model/model.gguf", "GGUF models are not supported")
    write("not-a-model/lone.safetensors", safetensors_bytes(fp32_tensors()))
    case("not-a-model/lone.safetensors", "give the folder that holds config.json")
    case("not-a-model/does-not-exist", "no such file or folder")

    with open(os.path.join(ROOT, "MANIFEST.tsv"), "w") as f:
        f.write("# Written by make_corpus.py. path (relative to this folder)<TAB>substring the error message\n"
                "# must contain<TAB>quantscope command run as `quantscope COMMAND-WORD PATH REST...`\n")
        for path, expected, command in CASES:
            f.write("%s\t%s\t%s\n" % (path, expected, command))


if __name__ == "__main__":
    build()
    print("%d cases written to %s" % (len(CASES), ROOT))
