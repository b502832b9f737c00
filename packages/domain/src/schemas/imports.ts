/** How a bulk import treats bad rows: refuse the whole file, or import the good rows. */
export type ImportMode = 'all-or-nothing' | 'good-rows';

export interface ImportRowProblem {
  /** The line of the file the row ends on (CSV header = line 1). */
  line: number;
  problems: { path: string; message: string }[];
}

/** The answer to an import, from the CLI and the upload endpoint alike. */
export interface ImportReport {
  batchId: string | null;
  rows: number;
  valid: number;
  invalid: ImportRowProblem[];
  imported: number;
  alreadyImported: number;
  committed: boolean;
  message: string;
}

export type ImportPhase = 'validating' | 'importing';
