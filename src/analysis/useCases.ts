/**
 * The context-length use cases recommendations are made for. Each is judged at its upper bound (the context a
 * model must hold to serve every request of that kind); "very long" has no upper bound, so it is judged at
 * the next doubling above 131K.
 */
export interface UseCase {
  id: "short" | "medium" | "long" | "very-long";
  title: string;
  /** Range in tokens, as shown to the reader. */
  range: string;
  /** The context size a model must handle (memory and training context) to be recommended. */
  targetContextTokens: number;
}

export const USE_CASES: UseCase[] = [
  { id: "short", title: "Short-form content", range: "≤ 2K tokens", targetContextTokens: 2048 },
  { id: "medium", title: "Medium-form content", range: "2K–32K tokens", targetContextTokens: 32768 },
  { id: "long", title: "Long-form content", range: "32K–131K tokens", targetContextTokens: 131072 },
  { id: "very-long", title: "Very long content", range: "> 131K tokens", targetContextTokens: 262144 },
];
