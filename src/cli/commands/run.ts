import { Command } from "@commander-js/extra-typings";
import { GgufBenchError } from "../../errors.ts";
import type { SetExitCode } from "../setExitCode.ts";

// PLACEHOLDER — replaced by the owner of this command.
export function runCommand(_setExitCode: SetExitCode) {
  return new Command("run").description("(not built yet)").action(() => {
    throw new GgufBenchError("not-implemented", "'run' is not built yet");
  });
}
