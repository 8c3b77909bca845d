import { Command } from "@commander-js/extra-typings";
import { GgufBenchError } from "../../errors.ts";
import type { SetExitCode } from "../setExitCode.ts";

// PLACEHOLDER — replaced by the owner of this command.
export function historyCommand(_setExitCode: SetExitCode) {
  return new Command("history").description("(not built yet)").action(() => {
    throw new GgufBenchError("not-implemented", "'history' is not built yet");
  });
}
