/** One field of a CSV row: text, a number in raw units, a flag, or null (an empty field: not measured). */
export type CsvValue = string | number | boolean | null;

/** One tidy CSV row of a case; renderCsv adds the case's run, id, name and synthetic flag. */
export interface CsvRow {
  stage: string;
  contextSize?: number | null;
  promptId?: string | null;
  run?: number | null;
  metric: string;
  /** "value" when absent; a summary statistic, `not_measured` (value = the reason) or `warning` (value = the text). */
  statistic?: string;
  value: CsvValue;
  unit: string;
  /** What one step of a stage did (`512 tokens`, `concurrency 2`): other-CPU rows; empty elsewhere. */
  stageDetail?: string | null;
}
