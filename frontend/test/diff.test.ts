import { describe, expect, it } from "vitest";
import { diffLines, hunks, splitLines, type DiffLine } from "../src/diff";

/** The diff as unified-diff-like text: " same", "-del", "+add". */
function render(lines: DiffLine[]): string[] {
  return lines.map((l) => (l.kind === "same" ? " " : l.kind === "del" ? "-" : "+") + l.text);
}

/** Applying the diff to the old lines gives the new ones; the kept lines are the old ones in order. */
function check(oldText: string, newText: string): void {
  const diff = diffLines(oldText, newText);
  expect(diff.lines.filter((l) => l.kind !== "add").map((l) => l.text)).toEqual(splitLines(oldText));
  expect(diff.lines.filter((l) => l.kind !== "del").map((l) => l.text)).toEqual(splitLines(newText));
}

/** A deterministic pseudo-random generator (tests must not depend on Math.random). */
function lcg(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
}

/** The length of a longest common subsequence, by dynamic programming: what a shortest edit script keeps. */
function lcsLength(a: string[], b: string[]): number {
  const row = new Array(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    let diag = 0;
    for (let j = 1; j <= b.length; j++) {
      const up = row[j];
      row[j] = a[i - 1] === b[j - 1] ? diag + 1 : Math.max(row[j], row[j - 1]);
      diag = up;
    }
  }
  return row[b.length];
}

describe("splitLines", () => {
  it("ends the last line at a final newline instead of adding an empty line", () => {
    expect(splitLines("")).toEqual([]);
    expect(splitLines("a")).toEqual(["a"]);
    expect(splitLines("a\n")).toEqual(["a"]);
    expect(splitLines("a\n\n")).toEqual(["a", ""]);
    expect(splitLines("a\r\nb\r\n")).toEqual(["a", "b"]);
  });
});

describe("diffLines", () => {
  it("finds nothing to change in equal texts", () => {
    const diff = diffLines("a\nb\n", "a\nb\n");
    expect(render(diff.lines)).toEqual([" a", " b"]);
    expect(diff).toMatchObject({ added: 0, deleted: 0, capped: false, onlyFinalNewline: false });
  });

  it("shows a changed line as deleted then added, between unchanged ones", () => {
    const diff = diffLines("import ctypes\ncos.restype = None\nprint(cos(0))\n", "import ctypes\ncos.restype = c_double\nprint(cos(0))\n");
    expect(render(diff.lines)).toEqual([" import ctypes", "-cos.restype = None", "+cos.restype = c_double", " print(cos(0))"]);
    expect(diff.added).toBe(1);
    expect(diff.deleted).toBe(1);
    expect(diff.lines[1]).toMatchObject({ oldLine: 2 });
    expect(diff.lines[2]).toMatchObject({ newLine: 2 });
    expect(diff.lines[3]).toMatchObject({ oldLine: 3, newLine: 3 });
  });

  it("handles empty sides", () => {
    expect(render(diffLines("", "a\nb").lines)).toEqual(["+a", "+b"]);
    expect(render(diffLines("a\nb", "").lines)).toEqual(["-a", "-b"]);
    expect(diffLines("", "").lines).toEqual([]);
  });

  it("keeps the longest common subsequence (a shortest edit script)", () => {
    const a = ["a", "b", "c", "a", "b", "b", "a"];
    const b = ["c", "b", "a", "b", "a", "c"];
    const diff = diffLines(a.join("\n"), b.join("\n"));
    expect(diff.lines.filter((l) => l.kind === "same")).toHaveLength(lcsLength(a, b));
    expect(diff.added + diff.deleted).toBe(5);
    check(a.join("\n"), b.join("\n"));
  });

  it("is a shortest edit script on random texts", () => {
    const random = lcg(42);
    for (let round = 0; round < 200; round++) {
      const words = ["x", "y", "z", "w"];
      const make = () => Array.from({ length: Math.floor(random() * 30) }, () => words[Math.floor(random() * words.length)]);
      const a = make();
      const b = make();
      const diff = diffLines(a.join("\n"), b.join("\n"));
      expect(diff.lines.filter((l) => l.kind === "same").length).toBe(lcsLength(a, b));
      check(a.join("\n"), b.join("\n"));
    }
  });

  it("puts the deletions of a block before its additions", () => {
    const diff = diffLines("keep\none\ntwo\nkeep too", "keep\nuno\ndos\nkeep too");
    expect(render(diff.lines)).toEqual([" keep", "-one", "-two", "+uno", "+dos", " keep too"]);
  });

  it("says so when only the newline at the end differs", () => {
    const diff = diffLines("a\nb", "a\nb\n");
    expect(diff.onlyFinalNewline).toBe(true);
    expect(diff.added + diff.deleted).toBe(0);
  });

  it("shows the files as replaced wholesale past the edit cap, keeping the common start and end", () => {
    const a = ["head", ...Array.from({ length: 50 }, (_, i) => `old ${i}`), "tail"].join("\n");
    const b = ["head", ...Array.from({ length: 50 }, (_, i) => `new ${i}`), "tail"].join("\n");
    const diff = diffLines(a, b, { maxEdits: 20 });
    expect(diff.capped).toBe(true);
    expect(diff.lines[0]).toMatchObject({ kind: "same", text: "head" });
    expect(diff.lines[diff.lines.length - 1]).toMatchObject({ kind: "same", text: "tail" });
    expect(diff.deleted).toBe(50);
    expect(diff.added).toBe(50);
    check(a, b);
    expect(diffLines(a, b).capped).toBe(false);
  });

  it("does not even start past the line cap", () => {
    const a = Array.from({ length: 300 }, (_, i) => `a${i}`).join("\n");
    const b = Array.from({ length: 300 }, (_, i) => `b${i}`).join("\n");
    expect(diffLines(a, b, { maxLines: 500 }).capped).toBe(true);
  });

  it("diffs a big file with a small change quickly through the common start and end", () => {
    const a = Array.from({ length: 100000 }, (_, i) => `line ${i}`);
    const b = [...a];
    b[50000] = "changed";
    const diff = diffLines(a.join("\n"), b.join("\n"));
    expect(diff.capped).toBe(false);
    expect(diff.added).toBe(1);
    expect(diff.deleted).toBe(1);
  });
});

describe("hunks", () => {
  const old = Array.from({ length: 20 }, (_, i) => `line ${i + 1}`);

  it("shows each change with three lines of context and the line numbers where it starts", () => {
    const changed = [...old];
    changed[9] = "ten";
    const result = hunks(diffLines(old.join("\n"), changed.join("\n")).lines);
    expect(result).toHaveLength(1);
    expect(result[0]).toMatchObject({ oldStart: 7, oldCount: 7, newStart: 7, newCount: 7 });
    expect(render(result[0].lines)).toEqual([" line 7", " line 8", " line 9", "-line 10", "+ten", " line 11", " line 12", " line 13"]);
  });

  it("merges changes whose context would touch and splits those further apart", () => {
    const near = [...old];
    near[3] = "four";
    near[9] = "ten";
    expect(hunks(diffLines(old.join("\n"), near.join("\n")).lines)).toHaveLength(1);
    const far = [...old];
    far[1] = "two";
    far[18] = "nineteen";
    const split = hunks(diffLines(old.join("\n"), far.join("\n")).lines);
    expect(split).toHaveLength(2);
    expect(split[0]).toMatchObject({ oldStart: 1, newStart: 1 });
    expect(split[1]).toMatchObject({ oldStart: 16, oldCount: 5, newStart: 16, newCount: 5 });
  });

  it("starts a pure addition after the line before it", () => {
    const result = hunks(diffLines("a\nb\n", "a\nb\nc\n").lines, 0);
    expect(result).toEqual([{ oldStart: 2, oldCount: 0, newStart: 3, newCount: 1, lines: [{ kind: "add", text: "c", newLine: 3 }] }]);
  });

  it("has none for equal texts", () => {
    expect(hunks(diffLines("a\nb", "a\nb").lines)).toEqual([]);
  });
});
