import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { GgufBenchError } from "../../src/errors.ts";
import { logProbabilities } from "../../src/quality/logProbabilities.ts";
import { readReferenceFile } from "../../src/quality/readReferenceFile.ts";
import {
  chooseTopK,
  HEADER_BYTES,
  MAX_REFERENCE_BYTES,
  MAX_TOP_K,
  type ReferenceHeader,
  ReferenceWriter,
} from "../../src/quality/referenceFile.ts";
import { referencePosition } from "../../src/quality/referencePosition.ts";

let dir: string;
before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "gguf-bench-reference-"));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

const close = (actual: number, expected: number, tolerance = 1e-7) =>
  assert.ok(Math.abs(actual - expected) <= tolerance, `${actual} is not ${expected} ± ${tolerance}`);

test("referencePosition keeps the K most likely tokens (ties by lower id), the rest's mass and ln p(next)", () => {
  const d = logProbabilities(
    [0.1, 0.3, 0.1, 0.4, 0.1].map((p, i) => [i, p] as [number, number]),
    5,
  );
  const p = referencePosition(d, 4, 3);
  assert.deepEqual(Array.from(p.topTokens), [3, 1, 0]); // 0.1 ties: token 0 kept before 2 and 4
  close(p.topLogProbs[0] as number, Math.log(0.4));
  close(p.restLogProb, Math.log(0.2), 1e-12);
  close(p.nextTokenLogProb, Math.log(0.1), 1e-12);
  const whole = referencePosition(d, 0, 10);
  assert.deepEqual(Array.from(whole.topTokens), [3, 1, 0, 2, 4]);
  assert.equal(whole.restLogProb, Number.NEGATIVE_INFINITY);
});

test("K: the whole vocabulary up to 1024, lowered for long texts, refused when not even 32 fit", () => {
  assert.equal(chooseTopK(512, 5000, 10_000), 512);
  assert.equal(chooseTopK(32000, 2000, 4096), MAX_TOP_K);
  const k = chooseTopK(150_000, 200_000, 400_000);
  assert.ok(k !== null && k >= 32 && k < MAX_TOP_K);
  assert.ok(HEADER_BYTES + 4 * 400_000 + 200_000 * (8 + 8 * k) <= MAX_REFERENCE_BYTES);
  assert.equal(chooseTopK(150_000, 5_000_000, 10_000_000), null);
});

function header(overrides: Partial<ReferenceHeader> = {}): ReferenceHeader {
  return {
    vocabSize: 5,
    contextSize: 4,
    chunks: 2,
    firstScored: 2,
    positionsPerChunk: 1,
    topK: 3,
    bosToken: 1,
    textTokens: 9,
    tokenCount: 8,
    model: { file: "/m/ref.gguf", label: "ref.gguf", fingerprint: "f", vocabularyFingerprint: "v" },
    textSha256: "t",
    perplexity: 3.5,
    perplexityStandardError: null,
    meanRestMass: 0.2,
    ...overrides,
  };
}

test("a reference file round-trips: header, tokens and each chunk's positions", async () => {
  const file = path.join(dir, "ref.bin");
  const d = logProbabilities(
    [0.1, 0.3, 0.1, 0.4, 0.1].map((p, i) => [i, p] as [number, number]),
    5,
  );
  const writer = new ReferenceWriter(file, 3, [1, 2, 3, 4, 1, 4, 3, 2]);
  writer.append([referencePosition(d, 4, 3)]);
  writer.append([referencePosition(d, 1, 3)]);
  const bytes = writer.finish(header());
  assert.equal((await stat(file)).size, bytes);
  const read = readReferenceFile(file);
  try {
    assert.deepEqual(read.header, header());
    assert.deepEqual([...read.tokens], [1, 2, 3, 4, 1, 4, 3, 2]);
    const [second] = read.readChunk(1);
    assert.ok(second);
    assert.deepEqual(Array.from(second.topTokens), [3, 1, 0]);
    close(second.nextTokenLogProb, Math.log(0.3));
    close(second.restLogProb, Math.log(0.2));
    assert.throws(() => read.readChunk(2), RangeError);
  } finally {
    read.close();
  }
});

test("a damaged or foreign reference file is refused with a one-line reason", async () => {
  const good = path.join(dir, "ref.bin");
  const bytes = await readFile(good);
  const cases: [string, Buffer, RegExp][] = [
    ["short.bin", bytes.subarray(0, 100), /only 100 bytes/],
    ["magic.bin", Buffer.concat([Buffer.from("NOTMAGIC"), bytes.subarray(8)]), /wrong magic/],
    ["truncated.bin", bytes.subarray(0, bytes.length - 4), /bytes, the header implies/],
  ];
  const lying = Buffer.from(bytes);
  const json = JSON.stringify(header({ topK: 9 }));
  lying.writeUInt32LE(json.length, 12);
  lying.write(json.padEnd(HEADER_BYTES - 16, " "), 16, "utf8");
  cases.push(["lying.bin", lying, /more kept tokens than the vocabulary/]);
  for (const [name, content, why] of cases) {
    const file = path.join(dir, name);
    await writeFile(file, content);
    assert.throws(
      () => readReferenceFile(file),
      (error: unknown) => error instanceof GgufBenchError && error.code === "bad-reference" && why.test(error.message),
      name,
    );
  }
});
