import type { RunConfig } from "../results/types.ts";

/**
 * The three standard prompts, written for this project (a summary of capabilities, a technical explanation and a
 * piece of creative writing): different lengths and kinds of text, so prompt processing is measured on more than
 * one shape. Fixed text, so runs on different days and machines are comparable.
 */
export const STANDARD_PROMPTS: RunConfig["prompts"] = [
  {
    id: "capabilities",
    title: "Capability summary",
    text: "In three short paragraphs, describe what you can help with, what kinds of questions you answer well, and where your answers should be checked by a person.",
  },
  {
    id: "technical",
    title: "Technical explanation",
    text: "Explain to a new programmer how a hash table stores and finds values. Cover hashing a key, collisions and how they are resolved, why the table is resized as it fills, and what this means for the average and worst-case cost of a lookup.",
  },
  {
    id: "creative",
    title: "Creative writing",
    text: "Write the opening of a short story about a lighthouse keeper who finds a letter in a bottle addressed to her, dated fifty years in the future.",
  },
];
