import type { Block } from "./reportDocument.ts";

/**
 * Numbered reasons for a table's "—" cells, each reason once, marked ¹ ² ³ … beside its cells; the table's notes
 * list them (`items`), so every "—" in a report says why. One instance per table.
 */
export class Footnotes {
  private readonly reasons = new Map<string, number>();
  private readonly warnings: string[] = [];
  /** "⚠" beside a figure that is printed but cannot be trusted; `warning` is listed under the table. */
  warn(warning: string): string {
    if (!this.warnings.includes(warning)) this.warnings.push(warning);
    return "⚠";
  }
  /** The mark for `reason` (a new number the first time it is seen). */
  mark(reason: string): string {
    const known = this.reasons.get(reason);
    if (known !== undefined) return superscript(known);
    this.reasons.set(reason, this.reasons.size + 1);
    return superscript(this.reasons.size);
  }
  /** "—" followed by the mark of `reason`: a cell's text. */
  dash(reason: string): string {
    return `—${this.mark(reason)}`;
  }
  get size(): number {
    return this.reasons.size + this.warnings.length;
  }
  /** The reasons as a list under the table; nothing when every cell holds a figure. */
  listBlocks(): Block[] {
    return this.size > 0 ? [{ kind: "list", items: this.items() }] : [];
  }
  items(): string[] {
    return [
      ...[...this.reasons].map(([reason, k]) => `—${superscript(k)} not measured: ${reason}.`),
      ...this.warnings.map((warning) => `⚠ ${warning}.`),
    ];
  }
}

const superscript = (k: number): string => [...String(k)].map((digit) => "⁰¹²³⁴⁵⁶⁷⁸⁹"[Number(digit)]).join("");
