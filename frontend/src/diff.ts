// Line diff of two texts (Myers' O(ND) algorithm) and its grouping into hunks, for comparing two
// attempts. Capped: past a number of edits (or lines) the files are shown as replaced wholesale
// instead of spending seconds and megabytes on a diff nobody reads.

export type DiffKind = "same" | "del" | "add";

export interface DiffLine {
  kind: DiffKind;
  text: string;
  /** 1-based line in the old text (same, del). */
  oldLine?: number;
  /** 1-based line in the new text (same, add). */
  newLine?: number;
}

export interface LineDiff {
  lines: DiffLine[];
  added: number;
  deleted: number;
  /** The cap was hit: every old line is shown deleted and every new line added. */
  capped: boolean;
  /** The texts differ only in the newline at the end of the file (no line differs). */
  onlyFinalNewline: boolean;
}

export interface DiffOptions {
  /** Most edits (deleted + added lines) Myers looks for before giving up. */
  maxEdits?: number;
  /** Most lines (old + new, after the common start and end) to diff at all. */
  maxLines?: number;
}

export const DEFAULT_MAX_EDITS = 2000;
export const DEFAULT_MAX_LINES = 40000;

/** The lines of a text; a final newline ends the last line rather than starting an empty one. */
export function splitLines(text: string): string[] {
  if (text === "") return [];
  const lines = text.split(/\r?\n/);
  if (lines[lines.length - 1] === "") lines.pop();
  return lines;
}

export function diffLines(oldText: string, newText: string, options: DiffOptions = {}): LineDiff {
  const maxEdits = options.maxEdits ?? DEFAULT_MAX_EDITS;
  const maxLines = options.maxLines ?? DEFAULT_MAX_LINES;
  const a = splitLines(oldText);
  const b = splitLines(newText);

  // The common start and end cost nothing to find and are most of a typical change.
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }

  const kinds = (endA - start) + (endB - start) > maxLines ? null : middle(a, b, start, endA, endB, maxEdits);
  const capped = kinds === null;
  const lines: DiffLine[] = [];
  let i = 0;
  let j = 0;
  const same = () => {
    lines.push({ kind: "same", text: a[i], oldLine: i + 1, newLine: j + 1 });
    i++;
    j++;
  };
  const del = () => {
    lines.push({ kind: "del", text: a[i], oldLine: i + 1 });
    i++;
  };
  const add = () => {
    lines.push({ kind: "add", text: b[j], newLine: j + 1 });
    j++;
  };
  while (i < start) same();
  if (kinds === null) {
    while (i < endA) del();
    while (j < endB) add();
  } else {
    for (const kind of kinds) {
      if (kind === "same") same();
      else if (kind === "del") del();
      else add();
    }
  }
  while (i < a.length) same();

  const added = lines.filter((l) => l.kind === "add").length;
  const deleted = lines.filter((l) => l.kind === "del").length;
  return { lines, added, deleted, capped, onlyFinalNewline: added === 0 && deleted === 0 && oldText !== newText };
}

/**
 * Myers' shortest edit script for a[start..endA) against b[start..endB), as a sequence of same/del/add
 * with the deletions of each changed block before its additions; null past maxEdits.
 */
function middle(a: string[], b: string[], start: number, endA: number, endB: number, maxEdits: number): DiffKind[] | null {
  // Lines as small integers: comparing numbers is cheaper than comparing strings in the inner loop.
  const ids = new Map<string, number>();
  const intern = (line: string) => {
    let id = ids.get(line);
    if (id === undefined) {
      id = ids.size;
      ids.set(line, id);
    }
    return id;
  };
  const x0 = Int32Array.from(a.slice(start, endA), intern);
  const y0 = Int32Array.from(b.slice(start, endB), intern);
  const n = x0.length;
  const m = y0.length;
  const limit = Math.min(n + m, maxEdits);
  const offset = limit + 1;
  const v = new Int32Array(2 * limit + 3);
  // trace[d] is v as it was before round d, on the diagonals -d-1..d+1 (what backtracking reads).
  const trace: Int32Array[] = [];
  let found = -1;
  for (let d = 0; d <= limit && found < 0; d++) {
    trace.push(v.slice(offset - d - 1, offset + d + 2));
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[offset + k - 1] < v[offset + k + 1]) ? v[offset + k + 1] : v[offset + k - 1] + 1;
      let y = x - k;
      while (x < n && y < m && x0[x] === y0[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) {
        found = d;
        break;
      }
    }
  }
  if (found < 0) return null;

  const reversed: DiffKind[] = [];
  let x = n;
  let y = m;
  for (let d = found; d >= 0; d--) {
    const prev = trace[d];
    const at = (k: number) => prev[k + d + 1];
    const k = x - y;
    const prevK = k === -d || (k !== d && at(k - 1) < at(k + 1)) ? k + 1 : k - 1;
    const prevX = d === 0 ? 0 : at(prevK);
    const prevY = d === 0 ? 0 : prevX - prevK;
    while (x > prevX && y > prevY) {
      reversed.push("same");
      x--;
      y--;
    }
    if (d > 0) {
      reversed.push(x === prevX ? "add" : "del");
      x = prevX;
      y = prevY;
    }
  }
  return deletionsFirst(reversed.reverse());
}

/** Within each block of changes, the deleted lines come before the added ones (as diff tools show them). */
function deletionsFirst(kinds: DiffKind[]): DiffKind[] {
  const out: DiffKind[] = [];
  let dels = 0;
  let adds = 0;
  const flush = () => {
    for (; dels > 0; dels--) out.push("del");
    for (; adds > 0; adds--) out.push("add");
  };
  for (const kind of kinds) {
    if (kind === "same") {
      flush();
      out.push("same");
    } else if (kind === "del") dels++;
    else adds++;
  }
  flush();
  return out;
}

export interface Hunk {
  /** First old and new line the hunk shows (1-based; for an empty side, the line before it). */
  oldStart: number;
  oldCount: number;
  newStart: number;
  newCount: number;
  lines: DiffLine[];
}

/** The changed lines with `context` unchanged lines around them; hunks whose context would touch merge. */
export function hunks(lines: DiffLine[], context = 3): Hunk[] {
  const ranges: [number, number][] = [];
  lines.forEach((line, i) => {
    if (line.kind === "same") return;
    const from = Math.max(0, i - context);
    const to = Math.min(lines.length, i + context + 1);
    const last = ranges[ranges.length - 1];
    if (last && from <= last[1]) last[1] = Math.max(last[1], to);
    else ranges.push([from, to]);
  });
  return ranges.map(([from, to]) => {
    const shown = lines.slice(from, to);
    return {
      oldStart: startLine(lines, from, to, "oldLine"),
      oldCount: shown.filter((l) => l.kind !== "add").length,
      newStart: startLine(lines, from, to, "newLine"),
      newCount: shown.filter((l) => l.kind !== "del").length,
      lines: shown,
    };
  });
}

/** Where a hunk starts on one side: its first line there, else the line before it (0 at the top). */
function startLine(all: DiffLine[], from: number, to: number, side: "oldLine" | "newLine"): number {
  for (let i = from; i < to; i++) {
    const n = all[i][side];
    if (n !== undefined) return n;
  }
  for (let i = from - 1; i >= 0; i--) {
    const n = all[i][side];
    if (n !== undefined) return n;
  }
  return 0;
}
