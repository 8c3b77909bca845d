/** Running maximum of the peaks the parent reported, for the cleanup fraction's denominator. */
export class PeakTracker {
  private peak = 0;
  observe(peakRssBytes: number): void {
    if (peakRssBytes > this.peak) this.peak = peakRssBytes;
  }
  get peakRssBytes(): number {
    return this.peak;
  }
}
