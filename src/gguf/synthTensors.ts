import { ggmlTypeId } from "./ggmlTypes.ts";
import type { SynthShape } from "./synthPresets.ts";
import type { TensorToWrite } from "./writeGgufFile.ts";

/**
 * The tensors llama.cpp's llama / qwen2 loaders expect, with ggml's dimension order (ne[0] = input width).
 * Norms, biases and the MoE router stay F32 as llama.cpp's quantizer leaves them.
 */
export function synthTensors(
  arch: "llama" | "qwen2" | "llama-moe",
  s: SynthShape,
  weightType: string,
): TensorToWrite[] {
  const w = ggmlTypeId(weightType);
  const f32 = ggmlTypeId("F32");
  const headDim = s.embd / s.heads;
  const kvWidth = s.kvHeads * headDim;
  const t = (name: string, dimensions: number[], typeId = w): TensorToWrite => ({ name, dimensions, typeId });
  const tensors: TensorToWrite[] = [t("token_embd.weight", [s.embd, s.vocab])];
  for (let i = 0; i < s.layers; i++) {
    const b = `blk.${i}`;
    tensors.push(
      t(`${b}.attn_norm.weight`, [s.embd], f32),
      t(`${b}.attn_q.weight`, [s.embd, s.embd]),
      t(`${b}.attn_k.weight`, [s.embd, kvWidth]),
      t(`${b}.attn_v.weight`, [s.embd, kvWidth]),
      t(`${b}.attn_output.weight`, [s.embd, s.embd]),
      t(`${b}.ffn_norm.weight`, [s.embd], f32),
    );
    if (arch === "qwen2") {
      // Qwen2 attention has q/k/v biases; llama.cpp refuses a qwen2 model without them.
      tensors.push(
        t(`${b}.attn_q.bias`, [s.embd], f32),
        t(`${b}.attn_k.bias`, [kvWidth], f32),
        t(`${b}.attn_v.bias`, [kvWidth], f32),
      );
    }
    if (arch === "llama-moe") {
      tensors.push(
        t(`${b}.ffn_gate_inp.weight`, [s.embd, s.experts], f32),
        t(`${b}.ffn_gate_exps.weight`, [s.embd, s.ff, s.experts]),
        t(`${b}.ffn_down_exps.weight`, [s.ff, s.embd, s.experts]),
        t(`${b}.ffn_up_exps.weight`, [s.embd, s.ff, s.experts]),
      );
    } else {
      tensors.push(
        t(`${b}.ffn_gate.weight`, [s.embd, s.ff]),
        t(`${b}.ffn_down.weight`, [s.ff, s.embd]),
        t(`${b}.ffn_up.weight`, [s.embd, s.ff]),
      );
    }
  }
  tensors.push(t("output_norm.weight", [s.embd], f32), t("output.weight", [s.embd, s.vocab]));
  return tensors;
}
