import assert from "node:assert/strict";
import { test } from "node:test";
import { ggmlTypeId } from "../../src/gguf/ggmlTypes.ts";
import type { GgufTensorInfo } from "../../src/gguf/ggufValue.ts";
import { planQuantization } from "../../src/quantize/quantizePlan.ts";

const F32 = ggmlTypeId("F32");
const t = (name: string, dimensions: number[], typeId = F32): GgufTensorInfo => ({
  name,
  dimensions,
  typeId,
  offset: 0,
});
const names = (ids: number[]) => ids.map((id) => ["F32", "F16", "Q4_0"][id] ?? (id === 8 ? "Q8_0" : String(id)));

test("q4_0: tied embedding becomes Q8_0 (llama-quantize: Q6_K at 256-multiples, said so); 1-D, norms, routers copied", () => {
  const tensors = [
    t("token_embd.weight", [256, 1000]),
    t("blk.0.attn_norm.weight", [256]),
    t("blk.0.attn_q.weight", [256, 256]),
    t("blk.0.ffn_gate_inp.weight", [256, 8]),
    t("blk.0.ffn_down.weight", [100, 256]),
    t("blk.0.attn_v.bias", [256, 1]),
  ];
  const plan = planQuantization(tensors, "q4_0", 0);
  assert.deepEqual(names(plan.typeIds), ["Q8_0", "F32", "Q4_0", "F32", "F16", "F32"]);
  assert.deepEqual(plan.differsFromLlamaQuantize, ["token_embd.weight: Q8_0 here, Q6_K from llama-quantize"]);
});

test("8 experts: attention K and V become Q8_0 as llama-quantize does; q8_0 keeps everything Q8_0", () => {
  const tensors = [
    t("output.weight", [64, 100]),
    t("token_embd.weight", [64, 100]),
    t("blk.0.attn_k.weight", [64, 64]),
    t("blk.0.attn_v.weight", [64, 64]),
    t("blk.0.ffn_up_exps.weight", [64, 128, 8]),
  ];
  assert.deepEqual(names(planQuantization(tensors, "q4_0", 8).typeIds), ["Q8_0", "Q4_0", "Q8_0", "Q8_0", "Q4_0"]);
  assert.deepEqual(names(planQuantization(tensors, "q4_0", 4).typeIds), ["Q8_0", "Q4_0", "Q4_0", "Q4_0", "Q4_0"]);
  assert.deepEqual(names(planQuantization(tensors, "q8_0", 0).typeIds), ["Q8_0", "Q8_0", "Q8_0", "Q8_0", "Q8_0"]);
  assert.deepEqual(planQuantization(tensors, "q4_0", 0).differsFromLlamaQuantize, []);
});
