import { Command } from "@commander-js/extra-typings";
import { GgufBenchError } from "../../errors.ts";
import type { SetExitCode } from "../setExitCode.ts";

// PLACEHOLDER — replaced by the owner of this command.
export function showCommand(_setExitCode: SetExitCode) {
  return new Command("show").description("(not built yet)").action(() => {
    throw new GgufBenchError("not-implemented", "'show' is not built yet");
  });
}
