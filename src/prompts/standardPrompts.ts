/**
 * The three standard prompts of the inference stage, written for gguf-bench. They are plain completion
 * text (no chat template), so a base model and an instruction-tuned one are given the same tokens; each is a
 * few dozen tokens long, so prefill is measured on a realistic short request rather than on one token.
 */
export interface StandardPrompt {
  /** Stable id: results and reports key on it. */
  id: string;
  title: string;
  text: string;
}

export const STANDARD_PROMPTS: readonly StandardPrompt[] = [
  {
    id: "capability-summary",
    title: "Capability summary",
    text:
      "Summarise, in a short paragraph, what a small language model running on a laptop can do well and " +
      "where it usually falls short. Mention answering questions, drafting text, working offline and the " +
      "limits that come from its size.",
  },
  {
    id: "technical-explanation",
    title: "Technical explanation",
    text:
      "Explain to a new programmer how a hash table stores and finds values: what the hash function does, " +
      "why two keys can land in the same bucket, how that collision is handled, and why lookups stay fast " +
      "on average as the table grows.",
  },
  {
    id: "creative-writing",
    title: "Creative writing",
    text:
      "Write the opening of a short story about a lighthouse keeper who finds a letter in a bottle that was " +
      "addressed to her, dated fifty years in the future. Begin on the morning she walks down to the shore.",
  },
];
