import { Command } from "@commander-js/extra-typings";
import { GgufBenchError } from "../../errors.ts";
import type { SetExitCode } from "../setExitCode.ts";

// PLACEHOLDER — replaced by the owner of this command.
export function inspectCommand(_setExitCode: SetExitCode) {
  return new Command("inspect").description("(not built yet)").action(() => {
    throw new GgufBenchError("not-implemented", "'inspect' is not built yet");
  });
}
