// The self-check boxes of the task page: a tick is sent to the server at once (POST
// /api/self-checks/{task}); one that cannot be saved is undone, so the box never shows a tick the
// server does not have. The page renders the stored ticks, so nothing is fetched on load.

import type { SelfCheckState } from "./api";

export type SaveTick = (item: number, ticked: boolean) => Promise<SelfCheckState>;

export function wireSelfChecks(boxes: HTMLInputElement[], save: SaveTick, statusEl: HTMLElement | null): void {
  // One request at a time, in click order: quick clicks on one box end as the last click left it.
  let queue: Promise<void> = Promise.resolve();
  let waiting = 0;
  const status = (state: string, text: string) => {
    if (!statusEl) return;
    statusEl.dataset.state = state;
    statusEl.textContent = text;
  };
  for (const box of boxes) {
    const item = Number(box.dataset.selfCheck);
    if (!Number.isInteger(item) || item < 0) continue;
    box.addEventListener("change", () => {
      const ticked = box.checked;
      waiting++;
      status("saving", "Saving\u2026");
      queue = queue.then(async () => {
        try {
          await save(item, ticked);
          waiting--;
          if (waiting === 0) status("saved", "Saved");
        } catch (e) {
          waiting--;
          // Undone only if no later click changed the box again.
          if (box.checked === ticked) box.checked = !ticked;
          status("error", `Not saved: ${e instanceof Error ? e.message : "the server did not answer"}`);
        }
      });
    });
  }
}
