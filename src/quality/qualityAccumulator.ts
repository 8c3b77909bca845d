import type { KldResult } from "../results/types.ts";
import { meanAndStandardError, percentile, perplexityFromSums } from "./qualityStatistics.ts";
import type { PositionScore } from "./scorePosition.ts";

/** The KL-divergence figures llama-perplexity's `--kl-divergence` prints, over every scored position. */
export type KldFigures = Omit<KldResult, "referenceLabel" | "referenceFingerprint">;

/**
 * Running sums over scored positions: perplexity from the model's NLL of each next token, and, when positions are
 * scored against a reference, the KLD figures. Keeps one double per KLD position for the median and percentiles.
 */
export class QualityAccumulator {
  private count = 0;
  private sumNll = 0;
  private sumNllSquares = 0;
  private kldCount = 0;
  private sumReferenceNll = 0;
  private sumKld = 0;
  private sumKldSquares = 0;
  private sumDeltaPSquares = 0;
  private sumDeltaPFourth = 0;
  private sameTop = 0;
  private kldValues = new Float64Array(1024);

  /** One position scored by NLL only (no reference). */
  addNll(nll: number): void {
    this.count++;
    this.sumNll += nll;
    this.sumNllSquares += nll * nll;
  }

  /** One position scored against the reference. */
  add(score: PositionScore): void {
    this.addNll(score.nll);
    if (this.kldCount === this.kldValues.length) {
      const grown = new Float64Array(this.kldValues.length * 2);
      grown.set(this.kldValues);
      this.kldValues = grown;
    }
    this.kldValues[this.kldCount++] = score.kld;
    this.sumReferenceNll += score.referenceNll;
    this.sumKld += score.kld;
    this.sumKldSquares += score.kld * score.kld;
    const dp2 = score.deltaP * score.deltaP;
    this.sumDeltaPSquares += dp2;
    this.sumDeltaPFourth += dp2 * dp2;
    if (score.sameTop) this.sameTop++;
  }

  /** PPL = exp(mean NLL) ± PPL × SE(NLL), over every position added. */
  perplexity(): { perplexity: number; standardError: number | null; scoredTokens: number } {
    return { ...perplexityFromSums(this.sumNll, this.sumNllSquares, this.count), scoredTokens: this.count };
  }

  /** The KLD figures, or null when no position was scored against a reference. */
  kld(): KldFigures | null {
    const n = this.kldCount;
    if (n === 0) return null;
    const sorted = this.kldValues.slice(0, n).sort();
    const kld = meanAndStandardError(this.sumKld, this.sumKldSquares, n);
    const meanSquare = meanAndStandardError(this.sumDeltaPSquares, this.sumDeltaPFourth, n);
    const rms = Math.sqrt(meanSquare.mean);
    const p = this.sameTop / n;
    return {
      positions: n,
      meanNats: kld.mean,
      standardErrorNats: kld.standardError,
      medianNats: percentile(sorted, 0.5),
      p99Nats: percentile(sorted, 0.99),
      maxNats: sorted[n - 1] as number,
      sameTopFraction: p,
      sameTopStandardError: n < 2 ? null : Math.sqrt((p * (1 - p)) / (n - 1)),
      rmsDeltaP: rms,
      rmsDeltaPStandardError:
        meanSquare.standardError === null ? null : rms > 0 ? (0.5 / rms) * meanSquare.standardError : 0,
      referencePerplexity: Math.exp(this.sumReferenceNll / n),
    };
  }
}
