import assert from "node:assert/strict";
import { test } from "node:test";
import { cleanupFraction } from "../../src/worker/cleanupFraction.ts";

const MiB = 1024 * 1024;

test("released bytes as a share of peak minus baseline", () => {
  // baseline 100 MiB, peak 180 MiB: 80 MiB taken; 20 MiB came back -> 0.25
  assert.equal(cleanupFraction(20 * MiB, 180 * MiB, 100 * MiB), 0.25);
  assert.equal(cleanupFraction(80 * MiB, 180 * MiB, 100 * MiB), 1);
});

test("clamped to [0, 1]", () => {
  assert.equal(cleanupFraction(-5 * MiB, 180 * MiB, 100 * MiB), 0, "memory that grew during cleanup");
  assert.equal(cleanupFraction(120 * MiB, 180 * MiB, 100 * MiB), 1, "more came back than was taken");
});

test("nothing taken means nothing is missing", () => {
  assert.equal(cleanupFraction(0, 100 * MiB, 100 * MiB), 1);
  assert.equal(cleanupFraction(0, 90 * MiB, 100 * MiB), 1);
});
