// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import { OutputPane, TerminalRenderer } from "../src/output";

function render(...chunks: string[]): HTMLElement {
  const pre = document.createElement("pre");
  const r = new TerminalRenderer(pre);
  for (const c of chunks) r.write(c);
  return pre;
}

describe("TerminalRenderer", () => {
  it("renders plain lines as text", () => {
    const pre = render("one\ntwo\r\nthree");
    expect(pre.textContent).toBe("one\ntwo\nthree");
  });

  it("renders colours as spans with ansi classes", () => {
    const pre = render("\x1b[1;31merror:\x1b[0m bad");
    const span = pre.querySelector("span.term-line span");
    expect(span?.className).toBe("ansi-fg-1 ansi-bold");
    expect(span?.textContent).toBe("error:");
    expect(pre.textContent).toBe("error: bad");
  });

  it("uses inline colours beyond the 16-colour palette", () => {
    const pre = render("\x1b[38;5;196mx\x1b[48;2;1;2;3my");
    const spans = pre.querySelectorAll<HTMLElement>("span.term-line span");
    expect(spans[0].style.color).toBe("rgb(255, 0, 0)");
    expect(spans[1].style.backgroundColor).toBe("rgb(1, 2, 3)");
  });

  it("never turns program output into markup", () => {
    const pre = render('<img src=x onerror="alert(1)"><script>alert(2)</script>\x1b[31m<b>red</b>');
    expect(pre.querySelector("img, script, b")).toBeNull();
    expect(pre.textContent).toBe('<img src=x onerror="alert(1)"><script>alert(2)</script><b>red</b>');
  });

  it("overwrites the current line after a carriage return", () => {
    expect(render("progress 10%\rprogress 100%\ndone").textContent).toBe("progress 100%\ndone");
    expect(render("abcdef\rXY").textContent).toBe("XYcdef");
    expect(render("abc\r", "\x1b[32mZ").textContent).toBe("Zbc");
  });

  it("keeps the styles of the parts a carriage return did not overwrite", () => {
    const pre = render("\x1b[31mred\x1b[0m plain\rX");
    const line = pre.querySelector(".term-line")!;
    expect(line.textContent).toBe("Xed plain");
    expect(line.querySelector(".ansi-fg-1")?.textContent).toBe("ed");
  });

  it("erases the line with CSI K", () => {
    expect(render("downloading 3/10\r\x1b[Kdone\n").textContent).toBe("done\n");
    expect(render("abcdef\r\x1b[2Kxy").textContent).toBe("xy");
    expect(render("abcdef\b\b\x1b[1K").textContent).toBe("     f");
    expect(render("abc\x1b[1Kd").textContent).toBe("   d");
  });

  it("moves back on backspace", () => {
    expect(render("abc\b\bX").textContent).toBe("aXc");
  });

  it("appends to the same text node when the style does not change", () => {
    const pre = render("a", "b", "c");
    const line = pre.querySelector(".term-line")!;
    expect(line.childNodes.length).toBe(1);
    expect(line.textContent).toBe("abc");
  });

  it("starts over on reset", () => {
    const pre = document.createElement("pre");
    const r = new TerminalRenderer(pre);
    r.write("\x1b[31mold");
    r.reset();
    r.write("new");
    expect(pre.textContent).toBe("new");
    expect(pre.querySelector("span.term-line span")).toBeNull();
  });
});

describe("OutputPane", () => {
  it("appends and clears", () => {
    const pre = document.createElement("pre");
    const pane = new OutputPane(pre);
    pane.append("hello\n");
    pane.append("world");
    expect(pre.textContent).toBe("hello\nworld");
    pane.clear();
    expect(pre.textContent).toBe("");
    expect(pre.classList.contains("output-empty")).toBe(true);
  });
});
