// Keeps the output pane consistent with the server's output of a run. The server numbers every
// output message by `offset` (the characters of output before it), so snapshots from GET and live
// messages can overlap, repeat or skip: this decides what to append and when to re-fetch.

export type Accepted =
  /** Append this text (possibly empty when nothing new). */
  | { kind: "append"; text: string }
  /** Everything in the message is already shown. */
  | { kind: "duplicate" }
  /** The message starts beyond what is shown: some output was missed, fetch a snapshot. */
  | { kind: "gap"; missing: number };

export class OutputCursor {
  /** Characters of the run's output shown so far. */
  private shownLength = 0;

  get shown(): number {
    return this.shownLength;
  }

  /** A live message: `text` starts at character `offset` of the run's output. */
  message(offset: number, text: string): Accepted {
    if (!Number.isInteger(offset) || offset < 0) {
      // A message without a usable offset cannot be placed: ask for a snapshot instead.
      return { kind: "gap", missing: 0 };
    }
    if (offset > this.shownLength) return { kind: "gap", missing: offset - this.shownLength };
    const end = offset + text.length;
    if (end <= this.shownLength) return { kind: "duplicate" };
    const fresh = text.slice(this.shownLength - offset);
    this.shownLength = end;
    return { kind: "append", text: fresh };
  }

  /** A snapshot from GET /api/runs/{id}: the whole output so far. Returns the part not yet shown. */
  snapshot(output: string | null | undefined): string {
    const all = output ?? "";
    if (all.length <= this.shownLength) return "";
    const fresh = all.slice(this.shownLength);
    this.shownLength = all.length;
    return fresh;
  }

  reset(): void {
    this.shownLength = 0;
  }
}
