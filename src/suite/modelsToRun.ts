import os from "node:os";
import { modelDisplayName } from "../analysis/modelDisplayName.ts";
import { synthTypedTensors } from "../gguf/synthesize.ts";
import { synthTypeNote } from "../gguf/synthTypeNote.ts";
import { expandWhatIf, parseWhatIf, type WhatIfSpec, whatIfLabel } from "../whatif/parseWhatIf.ts";
import { resolveWhatIf, type WhatIfModel } from "../whatif/resolveWhatIf.ts";
import { DEMO_MODELS, prepareDemoSet } from "./demoSet.ts";
import type { SuiteModel } from "./readSuiteModels.ts";

export interface ModelsToRun {
  /** What `run` asked for, before anything is synthesised: the labels --dry-run prints. */
  labels: string[];
  /**
   * Notes for the run's config, one per what-if whose file holds none of its type's main weight type (so it runs
   * the same kernels as another label): "what-if llama tiny q6_k: tiny q6_k holds Q8_0, no Q6_K: …".
   */
  notes: string[];
  /** The --what-if shapes to synthesise, in run order (none for the demo set): --dry-run sizes their files. */
  whatIfs: WhatIfSpec[];
  /** The folder they are written to (each in a folder of its own): the TMPDIR of the process. */
  tmpDir: string;
  /** Synthesises what is needed (demo set, what-if shapes) and returns the models in run order. */
  prepare(signal: AbortSignal): Promise<SuiteModel[]>;
  /** Removes the temporary what-if files; safe to call twice and after a failed prepare. */
  cleanup(): Promise<void>;
}

/**
 * The models of one `run`: the files given, then one synthesised model per --what-if spec (each in its own
 * temporary folder, removed after the run; `seed` stands for the user's four models), or the cached demo set when
 * neither was given. Specs are checked at once, so a typo is a usage error before anything is written.
 */
export function modelsToRun(files: string[], whatIfSpecs: string[], demo: boolean): ModelsToRun {
  const specs = whatIfSpecs.flatMap(expandWhatIf).map((spec) => ({ spec, label: whatIfLabel(parseWhatIf(spec)) }));
  const resolved: WhatIfModel[] = [];
  const tmpDir = os.tmpdir();
  const synthetic = (label: string) => modelDisplayName(label, true);
  const labels = demo
    ? DEMO_MODELS.map((m) => synthetic(m.label))
    : [...files, ...specs.map((s) => synthetic(s.label))];
  const notes = specs.flatMap(({ spec, label }) => {
    const parsed = parseWhatIf(spec);
    const note = synthTypeNote(
      parsed.preset,
      parsed.type,
      synthTypedTensors(parsed.arch, parsed.preset, parsed.type).tensors,
    );
    return note ? [`${label}: ${note}`] : [];
  });
  return {
    labels,
    notes: demo ? [] : notes,
    whatIfs: demo ? [] : specs.map(({ spec }) => parseWhatIf(spec)),
    tmpDir,
    async prepare(signal) {
      if (demo) return (await prepareDemoSet()).map((m) => ({ file: m.file, label: m.label, synthetic: true }));
      const models: SuiteModel[] = files.map((file) => ({ file, synthetic: false }));
      for (const { spec } of specs) {
        if (signal.aborted) break;
        const model = await resolveWhatIf(spec, tmpDir);
        resolved.push(model);
        models.push({ file: model.path, label: model.label, synthetic: true });
      }
      return models;
    },
    async cleanup() {
      await Promise.all(resolved.map((m) => m.cleanup()));
    },
  };
}
