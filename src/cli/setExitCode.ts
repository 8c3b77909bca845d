/** Commands report their outcome through this; main keeps the worst code and sets the process exit code. */
export type SetExitCode = (code: 0 | 1 | 2) => void;
