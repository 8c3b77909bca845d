import type { QuantTensor } from "./llamaQuantRules.ts";
import type { SynthArch } from "./synthArchs.ts";
import type { SynthShape } from "./synthShape.ts";

/**
 * The tensors llama.cpp's loader for `arch` expects (src/models/<arch>.cpp load_arch_tensors), with ggml's
 * dimension order (ne[0] = input width), in the order llama.cpp's converter writes them. Types are chosen
 * separately (src/gguf/llamaQuantRules.ts): 1-D tensors, biases and the MoE router stay F32.
 */
export function synthTensors(arch: SynthArch, s: SynthShape): QuantTensor[] {
  const tensors: QuantTensor[] = [];
  const t = (name: string, ...dimensions: number[]) => tensors.push({ name, dimensions });
  t("token_embd.weight", s.embd, s.vocab);
  for (let i = 0; i < s.layers; i++) {
    const b = `blk.${i}`;
    t(`${b}.attn_norm.weight`, s.embd);
    if (arch === "deepseek2") mlaAttention(t, b, s);
    else attention(t, arch, b, s);
    if (arch === "gemma3" || arch === "gpt-oss") t(`${b}.post_attention_norm.weight`, s.embd);
    if (arch !== "gpt-oss") t(`${b}.ffn_norm.weight`, s.embd);
    if (arch === "qwen2" || arch === "gpt-oss") {
      t(`${b}.attn_q.bias`, s.heads * s.headDim);
      t(`${b}.attn_k.bias`, s.kvHeads * s.headDim);
      t(`${b}.attn_v.bias`, s.kvHeads * s.headDim);
    }
    feedForward(t, arch, b, i, s);
    if (arch === "gemma3") t(`${b}.post_ffw_norm.weight`, s.embd);
  }
  t("output_norm.weight", s.embd);
  if (!s.tiedEmbeddings) t("output.weight", s.embd, s.vocab);
  return tensors;
}

type Add = (name: string, ...dimensions: number[]) => void;

function attention(t: Add, arch: SynthArch, b: string, s: SynthShape): void {
  const qWidth = s.heads * s.headDim;
  const kvWidth = s.kvHeads * s.headDim;
  if (arch === "phi3") {
    // Phi-3 files fuse Q, K and V into one matrix.
    t(`${b}.attn_qkv.weight`, s.embd, qWidth + 2 * kvWidth);
  } else {
    t(`${b}.attn_q.weight`, s.embd, qWidth);
    t(`${b}.attn_k.weight`, s.embd, kvWidth);
    t(`${b}.attn_v.weight`, s.embd, kvWidth);
  }
  if (arch === "qwen3" || arch === "qwen3moe" || arch === "gemma3") {
    t(`${b}.attn_q_norm.weight`, s.headDim);
    t(`${b}.attn_k_norm.weight`, s.headDim);
  }
  t(`${b}.attn_output.weight`, qWidth, s.embd);
  if (arch === "gpt-oss") {
    t(`${b}.attn_output.bias`, s.embd);
    t(`${b}.attn_sinks.weight`, s.heads);
  }
}

/** deepseek2 multi-head latent attention, split k_b / v_b form (what current converters write). */
function mlaAttention(t: Add, b: string, s: SynthShape): void {
  const m = s.mla;
  if (!m) throw new Error("deepseek2 needs an MLA shape");
  const nope = s.headDim - m.ropeDim;
  if (m.qLoraRank > 0) {
    t(`${b}.attn_q_a_norm.weight`, m.qLoraRank);
    t(`${b}.attn_q_a.weight`, s.embd, m.qLoraRank);
    t(`${b}.attn_q_b.weight`, m.qLoraRank, s.heads * s.headDim);
  } else {
    t(`${b}.attn_q.weight`, s.embd, s.heads * s.headDim);
  }
  t(`${b}.attn_kv_a_norm.weight`, m.kvLoraRank);
  t(`${b}.attn_kv_a_mqa.weight`, s.embd, m.kvLoraRank + m.ropeDim);
  t(`${b}.attn_k_b.weight`, nope, m.kvLoraRank, s.heads);
  t(`${b}.attn_v_b.weight`, m.kvLoraRank, m.valueDim, s.heads);
  t(`${b}.attn_output.weight`, s.heads * m.valueDim, s.embd);
}

function feedForward(t: Add, arch: SynthArch, b: string, layer: number, s: SynthShape): void {
  const denseLead = arch === "deepseek2" && layer < (s.mla?.leadingDense ?? 0);
  if (arch === "phi3") {
    // Phi-3 fuses gate and up into one ffn_up of twice the width.
    t(`${b}.ffn_up.weight`, s.embd, 2 * s.ff);
    t(`${b}.ffn_down.weight`, s.ff, s.embd);
    return;
  }
  if (s.experts === 0 || denseLead) {
    const ff = denseLead ? (s.mla?.denseFf ?? s.ff) : s.ff;
    t(`${b}.ffn_gate.weight`, s.embd, ff);
    t(`${b}.ffn_down.weight`, ff, s.embd);
    t(`${b}.ffn_up.weight`, s.embd, ff);
    return;
  }
  t(`${b}.ffn_gate_inp.weight`, s.embd, s.experts);
  if (arch === "gpt-oss") t(`${b}.ffn_gate_inp.bias`, s.experts);
  t(`${b}.ffn_gate_exps.weight`, s.embd, s.ff, s.experts);
  t(`${b}.ffn_down_exps.weight`, s.ff, s.embd, s.experts);
  t(`${b}.ffn_up_exps.weight`, s.embd, s.ff, s.experts);
  if (arch === "gpt-oss") {
    t(`${b}.ffn_gate_exps.bias`, s.ff, s.experts);
    t(`${b}.ffn_down_exps.bias`, s.embd, s.experts);
    t(`${b}.ffn_up_exps.bias`, s.ff, s.experts);
  }
  if (arch === "deepseek2") {
    const shared = s.ff * (s.mla?.sharedExperts ?? 1);
    t(`${b}.ffn_gate_shexp.weight`, s.embd, shared);
    t(`${b}.ffn_down_shexp.weight`, shared, s.embd);
    t(`${b}.ffn_up_shexp.weight`, s.embd, shared);
  }
}
