import { describe, expect, it } from "vitest";
import { OutputCursor } from "../src/stream";

describe("OutputCursor", () => {
  it("appends messages that follow each other", () => {
    const c = new OutputCursor();
    expect(c.message(0, "abc")).toEqual({ kind: "append", text: "abc" });
    expect(c.message(3, "def")).toEqual({ kind: "append", text: "def" });
    expect(c.shown).toBe(6);
  });

  it("appends only the part of an overlapping message beyond what is shown", () => {
    const c = new OutputCursor();
    c.snapshot("hello wo");
    expect(c.message(6, "world\n")).toEqual({ kind: "append", text: "rld\n" });
    expect(c.shown).toBe(12);
  });

  it("ignores messages already covered by a snapshot or repeated", () => {
    const c = new OutputCursor();
    c.snapshot("abcdef");
    expect(c.message(0, "abc")).toEqual({ kind: "duplicate" });
    expect(c.message(3, "def")).toEqual({ kind: "duplicate" });
    expect(c.message(6, "")).toEqual({ kind: "duplicate" });
    expect(c.shown).toBe(6);
  });

  it("reports a gap when a message starts beyond what is shown", () => {
    const c = new OutputCursor();
    c.message(0, "ab");
    expect(c.message(5, "fg")).toEqual({ kind: "gap", missing: 3 });
    expect(c.shown).toBe(2);
  });

  it("fills a gap from a snapshot, then carries on with live messages", () => {
    const c = new OutputCursor();
    c.message(0, "ab");
    c.message(5, "fg");
    expect(c.snapshot("abcdefg")).toBe("cdefg");
    expect(c.message(5, "fg")).toEqual({ kind: "duplicate" });
    expect(c.message(7, "h")).toEqual({ kind: "append", text: "h" });
  });

  it("takes nothing from a snapshot shorter than what is shown", () => {
    const c = new OutputCursor();
    c.message(0, "abcdef");
    expect(c.snapshot("abc")).toBe("");
    expect(c.snapshot(null)).toBe("");
    expect(c.shown).toBe(6);
  });

  it("treats a message without a usable offset as a gap", () => {
    const c = new OutputCursor();
    expect(c.message(Number(undefined), "x").kind).toBe("gap");
    expect(c.message(-1, "x").kind).toBe("gap");
    expect(c.message(1.5, "x").kind).toBe("gap");
  });

  it("counts characters as JavaScript (and Java) strings do", () => {
    const c = new OutputCursor();
    c.snapshot("\u{1F600}a"); // a surrogate pair: 2 UTF-16 units
    expect(c.shown).toBe(3);
    expect(c.message(2, "ab")).toEqual({ kind: "append", text: "b" });
  });

  it("starts over on reset", () => {
    const c = new OutputCursor();
    c.snapshot("abc");
    c.reset();
    expect(c.message(0, "x")).toEqual({ kind: "append", text: "x" });
  });
});
