// How a page shows a run that has ended, shared by the task page (main.ts) and the read-only attempt page
// (attempt.ts): the status line, the verdict (or the lab's error) and the finding marks in the editor.

import type { FileEditor } from "./editor";
import type { RunEnd } from "./live";
import { badgeOf, clearVerdict, findingMarks, renderRunError, renderVerdict } from "./verdict";

export const DONE_TEXT = { pass: "Passed", fail: "Failed", error: "Error", skip: "Finished" } as const;

/** A page's data attribute as a positive number, or undefined. */
export function positiveNumber(value: string | undefined): number | undefined {
  const n = Number(value);
  return value && Number.isFinite(n) && n > 0 ? n : undefined;
}

export interface RunEndView {
  verdictEl: HTMLElement | null;
  editor: FileEditor | null;
  limits: { wallSeconds?: number; memoryMb?: number };
  setStatus(state: string, text: string): void;
  /** The status line of a run a newer submission replaced, when the server gave no text. */
  supersededText: string;
  /** Offered on the verdict when the lab (not the code) failed the run. */
  onRetry?: () => void;
}

export function showRunEnd(run: RunEnd, view: RunEndView): void {
  const { verdictEl, editor } = view;
  if (run.status === "SUPERSEDED") {
    // Not an error: this run never ran because a newer one of the same work took its place.
    view.setStatus("superseded", run.error || view.supersededText);
    if (verdictEl) clearVerdict(verdictEl);
  } else if (run.verdict) {
    const outcome = badgeOf(run.verdict.status);
    view.setStatus(outcome, DONE_TEXT[outcome]);
    if (verdictEl) {
      renderVerdict(verdictEl, run.verdict, {
        ...view.limits,
        fileNames: editor?.fileNames() ?? [],
        reference: run.reference ?? [],
        openFrame: (file, line) => editor?.revealLine(file, line),
        onRetry: view.onRetry,
      });
    }
    editor?.setMarks(findingMarks(run.verdict, editor.fileNames()));
  } else {
    view.setStatus("error", run.error ? `Error: ${run.error}` : "Error");
    if (verdictEl) renderRunError(verdictEl, run.error, view.onRetry);
  }
}
