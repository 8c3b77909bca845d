import { Command } from "@commander-js/extra-typings";
import { GgufBenchError } from "../../errors.ts";
import type { SetExitCode } from "../setExitCode.ts";

// PLACEHOLDER — replaced by the owner of this command.
export function importCommand(_setExitCode: SetExitCode) {
  return new Command("import").description("(not built yet)").action(() => {
    throw new GgufBenchError("not-implemented", "'import' is not built yet");
  });
}
