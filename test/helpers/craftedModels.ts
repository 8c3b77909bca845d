import { readFile, writeFile } from "node:fs/promises";
import { ggmlTypeId } from "../../src/gguf/ggmlTypes.ts";
import type { GgufMetadata, GgufValue } from "../../src/gguf/ggufValue.ts";
import { readGgufFile } from "../../src/gguf/readGgufFile.ts";
import { tensorBytes } from "../../src/gguf/readGgufHeader.ts";
import { synthTokenizer } from "../../src/gguf/synthTokenizer.ts";
import { type TensorToWrite, writeGgufFile } from "../../src/gguf/writeGgufFile.ts";

/**
 * Small models of the shapes in ../shared/cases/ (gemma3 with a sliding window, deepseek2 with MLA, llama with
 * MXFP4 weights), written with the project's own GGUF writer so tests need not the shared files. Weights are
 * zeros: llama.cpp loads them and sizes its caches and buffers; nothing is generated from them.
 */
const u32 = (value: number): GgufValue => ({ type: "u32", value });
const f32 = (value: number): GgufValue => ({ type: "f32", value });
const EMBD = 64;
const VOCAB = 512;

function t(name: string, dimensions: number[], type = "F32"): TensorToWrite {
  return { name, dimensions, typeId: ggmlTypeId(type) };
}

async function write(path: string, arch: string, keys: [string, GgufValue][], tensors: TensorToWrite[]) {
  const metadata: GgufMetadata = new Map<string, GgufValue>([
    ["general.architecture", { type: "string", value: arch }],
    ["general.name", { type: "string", value: `${arch}-crafted` }],
    ...keys.map(([key, value]): [string, GgufValue] => [`${arch}.${key}`, value]),
    ...synthTokenizer(VOCAB),
  ]);
  await writeGgufFile(path, metadata, tensors, 32, (tensor) => [Buffer.alloc(tensorBytes(tensor))]);
  return path;
}

/** gemma3, 6 layers, 1 KV head of 16, sliding window 1024 (layers 0–4 slide, layer 5 is global). */
export function writeGemma3Swa(path: string): Promise<string> {
  const tensors = [t("token_embd.weight", [EMBD, VOCAB]), t("output_norm.weight", [EMBD])];
  for (let i = 0; i < 6; i++) {
    const b = `blk.${i}`;
    tensors.push(
      t(`${b}.attn_norm.weight`, [EMBD]),
      t(`${b}.attn_q.weight`, [EMBD, 64]),
      t(`${b}.attn_k.weight`, [EMBD, 16]),
      t(`${b}.attn_v.weight`, [EMBD, 16]),
      t(`${b}.attn_output.weight`, [64, EMBD]),
      t(`${b}.attn_q_norm.weight`, [16]),
      t(`${b}.attn_k_norm.weight`, [16]),
      t(`${b}.post_attention_norm.weight`, [EMBD]),
      t(`${b}.ffn_norm.weight`, [EMBD]),
      t(`${b}.ffn_gate.weight`, [EMBD, 128]),
      t(`${b}.ffn_up.weight`, [EMBD, 128]),
      t(`${b}.ffn_down.weight`, [128, EMBD]),
      t(`${b}.post_ffw_norm.weight`, [EMBD]),
    );
  }
  return write(
    path,
    "gemma3",
    [
      ["context_length", u32(32_768)],
      ["embedding_length", u32(EMBD)],
      ["block_count", u32(6)],
      ["feed_forward_length", u32(128)],
      ["attention.head_count", u32(4)],
      ["attention.head_count_kv", u32(1)],
      ["attention.key_length", u32(16)],
      ["attention.value_length", u32(16)],
      ["attention.sliding_window", u32(1024)],
      ["attention.layer_norm_rms_epsilon", f32(1e-6)],
      ["rope.freq_base", f32(1_000_000)],
    ],
    tensors,
  );
}

/** deepseek2 with MLA (kv_lora_rank 32 + 8 rope dims = a 40-wide compressed K), 2 layers: dense, then MoE. */
export function writeDeepseek2Mla(path: string): Promise<string> {
  const tensors = [
    t("token_embd.weight", [EMBD, VOCAB]),
    t("output_norm.weight", [EMBD]),
    t("output.weight", [EMBD, VOCAB]),
  ];
  for (let i = 0; i < 2; i++) {
    const b = `blk.${i}`;
    tensors.push(
      t(`${b}.attn_norm.weight`, [EMBD]),
      t(`${b}.attn_q_a_norm.weight`, [48]),
      t(`${b}.attn_q_a.weight`, [EMBD, 48]),
      t(`${b}.attn_q_b.weight`, [48, 96]),
      t(`${b}.attn_kv_a_norm.weight`, [32]),
      t(`${b}.attn_kv_a_mqa.weight`, [EMBD, 40]),
      t(`${b}.attn_k_b.weight`, [16, 32, 4]),
      t(`${b}.attn_v_b.weight`, [32, 16, 4]),
      t(`${b}.attn_output.weight`, [EMBD, EMBD]),
      t(`${b}.ffn_norm.weight`, [EMBD]),
    );
    if (i === 0) {
      tensors.push(
        t(`${b}.ffn_gate.weight`, [EMBD, 128]),
        t(`${b}.ffn_down.weight`, [128, EMBD]),
        t(`${b}.ffn_up.weight`, [EMBD, 128]),
      );
    } else {
      tensors.push(
        t(`${b}.ffn_gate_inp.weight`, [EMBD, 4]),
        t(`${b}.exp_probs_b.bias`, [4]),
        t(`${b}.ffn_gate_exps.weight`, [EMBD, 32, 4]),
        t(`${b}.ffn_down_exps.weight`, [32, EMBD, 4]),
        t(`${b}.ffn_up_exps.weight`, [EMBD, 32, 4]),
        t(`${b}.ffn_gate_shexp.weight`, [EMBD, 32]),
        t(`${b}.ffn_down_shexp.weight`, [32, EMBD]),
        t(`${b}.ffn_up_shexp.weight`, [EMBD, 32]),
      );
    }
  }
  return write(
    path,
    "deepseek2",
    [
      ["context_length", u32(4096)],
      ["embedding_length", u32(EMBD)],
      ["block_count", u32(2)],
      ["feed_forward_length", u32(128)],
      ["attention.head_count", u32(4)],
      ["attention.head_count_kv", u32(1)],
      ["attention.key_length", u32(40)],
      ["attention.value_length", u32(32)],
      ["attention.key_length_mla", u32(24)],
      ["attention.value_length_mla", u32(16)],
      ["attention.q_lora_rank", u32(48)],
      ["attention.kv_lora_rank", u32(32)],
      ["rope.dimension_count", u32(8)],
      ["rope.freq_base", f32(10_000)],
      ["attention.layer_norm_rms_epsilon", f32(1e-6)],
      ["leading_dense_block_count", u32(1)],
      ["expert_count", u32(4)],
      ["expert_used_count", u32(2)],
      ["expert_shared_count", u32(1)],
      ["expert_feed_forward_length", u32(32)],
      ["expert_weights_scale", f32(2.5)],
      ["expert_weights_norm", { type: "bool", value: true }],
      ["expert_gating_func", u32(2)],
      ["vocab_size", u32(VOCAB)],
    ],
    tensors,
  );
}

/**
 * llama, 2 layers of width 256, with its matrices of `weightType` (e.g. MXFP4, Q4_0); `tiedOutput` leaves out output.weight so
 * llama.cpp multiplies by a duplicate of the token embedding (then also of that type).
 */
export function writeLlamaWith(path: string, weightType: string, tiedOutput = false): Promise<string> {
  const [embd, ff] = [256, 512];
  const tensors = [
    t("token_embd.weight", [embd, VOCAB], tiedOutput ? weightType : "F32"),
    t("output_norm.weight", [embd]),
  ];
  if (!tiedOutput) tensors.push(t("output.weight", [embd, VOCAB]));
  for (let i = 0; i < 2; i++) {
    const b = `blk.${i}`;
    tensors.push(
      t(`${b}.attn_norm.weight`, [embd]),
      t(`${b}.attn_q.weight`, [embd, embd], weightType),
      t(`${b}.attn_k.weight`, [embd, embd], weightType),
      t(`${b}.attn_v.weight`, [embd, embd], weightType),
      t(`${b}.attn_output.weight`, [embd, embd], weightType),
      t(`${b}.ffn_norm.weight`, [embd]),
      t(`${b}.ffn_gate.weight`, [embd, ff], weightType),
      t(`${b}.ffn_up.weight`, [embd, ff], weightType),
      t(`${b}.ffn_down.weight`, [ff, embd], weightType),
    );
  }
  return write(
    path,
    "llama",
    [
      ["context_length", u32(2048)],
      ["embedding_length", u32(embd)],
      ["block_count", u32(2)],
      ["feed_forward_length", u32(ff)],
      ["attention.head_count", u32(4)],
      ["attention.head_count_kv", u32(4)],
      ["rope.dimension_count", u32(embd / 4)],
      ["attention.layer_norm_rms_epsilon", f32(1e-5)],
    ],
    tensors,
  );
}

/**
 * Splits a one-file model in two as llama.cpp's gguf-split does (`<stem>-00001-of-00002.gguf` holds the metadata
 * and the first half of the tensors, part 2 the rest; `split.*` keys in both) and returns the two paths.
 */
export async function splitInTwo(source: string, stem: string): Promise<[string, string]> {
  const header = await readGgufFile(source);
  const data = await readFile(source);
  const parts: [string, string] = [`${stem}-00001-of-00002.gguf`, `${stem}-00002-of-00002.gguf`];
  const half = Math.ceil(header.tensors.length / 2);
  const split = (no: number): [string, GgufValue][] => [
    ["split.no", { type: "u16", value: no }],
    ["split.count", { type: "u16", value: 2 }],
    ["split.tensors.count", { type: "i32", value: header.tensors.length }],
  ];
  const pieces = [header.tensors.slice(0, half), header.tensors.slice(half)];
  for (const [no, tensors] of pieces.entries()) {
    const metadata: GgufMetadata = new Map(no === 0 ? [...header.metadata, ...split(0)] : split(no));
    await writeGgufFile(parts[no] as string, metadata, tensors, header.alignment, (tensor) => {
      const start = header.dataOffset + (tensors.find((t) => t.name === tensor.name)?.offset ?? 0);
      return [data.subarray(start, start + tensorBytes(tensor))];
    });
  }
  return parts;
}

/** A copy of a model without some metadata keys (as in ../shared/cases/no-head-count-*.gguf). */
export async function copyWithoutKeys(source: string, out: string, keys: string[]): Promise<string> {
  const header = await readGgufFile(source);
  const data = await readFile(source);
  const metadata: GgufMetadata = new Map([...header.metadata].filter(([key]) => !keys.includes(key)));
  await writeGgufFile(out, metadata, header.tensors, header.alignment, (tensor) => {
    const start = header.dataOffset + (header.tensors.find((t) => t.name === tensor.name)?.offset ?? 0);
    return [data.subarray(start, start + tensorBytes(tensor))];
  });
  return out;
}

/** A copy whose tensor `name` claims ggml type `typeId` (a type the writer cannot size, e.g. 138): header bytes patched. */
export async function withTensorTypeId(source: string, out: string, name: string, typeId: number): Promise<string> {
  const bytes = await readFile(source);
  const header = await readGgufFile(source);
  const tensor = header.tensors.find((t) => t.name === name);
  if (!tensor) throw new Error(`no tensor ${name}`);
  // tensor info: name length (u64), name, n_dims (u32), dims (u64 each), type (u32), offset (u64)
  const at = bytes.indexOf(Buffer.from(name)) + name.length + 4 + 8 * tensor.dimensions.length;
  bytes.writeUInt32LE(typeId, at);
  await writeFile(out, bytes);
  return out;
}
