// The output pane: renders terminal output (ANSI colours, carriage returns) into a <pre> with text
// nodes and spans only, and keeps it scrolled to the bottom unless the user scrolled up.

import { AnsiParser, PLAIN, cssColor, isPlain, sameStyle, type Color, type Style, type Token } from "./ansi";
import { clear } from "./dom";

interface Segment {
  text: string;
  style: Style;
}

/** Pixels from the bottom that still count as "at the bottom". */
const STICK_SLACK = 24;

/** Renders a token stream into a container element. Usable for the live pane and for test output. */
export class TerminalRenderer {
  private parser = new AnsiParser();
  /** The line being written: finished lines are plain DOM, this one can still be overwritten. */
  private line: Segment[] = [];
  private lineLength = 0;
  private cursor = 0;
  private lineEl: HTMLElement;

  constructor(private readonly root: HTMLElement) {
    this.lineEl = this.newLine();
  }

  write(chunk: string): void {
    this.apply(this.parser.feed(chunk));
  }

  reset(): void {
    clear(this.root);
    this.parser = new AnsiParser();
    this.line = [];
    this.lineLength = 0;
    this.cursor = 0;
    this.lineEl = this.newLine();
  }

  private apply(tokens: Token[]): void {
    for (const token of tokens) {
      switch (token.type) {
        case "text":
          this.writeText(token.text, token.style);
          break;
        case "newline":
          this.lineEl.appendChild(document.createTextNode("\n"));
          this.line = [];
          this.lineLength = 0;
          this.cursor = 0;
          this.lineEl = this.newLine();
          break;
        case "cr":
          this.cursor = 0;
          break;
        case "backspace":
          if (this.cursor > 0) this.cursor--;
          break;
        case "erase":
          this.erase(token.mode);
          break;
      }
    }
  }

  private writeText(text: string, style: Style): void {
    if (this.cursor === this.lineLength) {
      // The common case: appending at the end of the line needs no re-render.
      const last = this.line[this.line.length - 1];
      if (last && sameStyle(last.style, style)) {
        last.text += text;
        const node = this.lineEl.lastChild;
        const target = node && node.nodeType === Node.ELEMENT_NODE ? node.firstChild : node;
        if (target && target.nodeType === Node.TEXT_NODE) (target as Text).appendData(text);
        else this.renderLine();
      } else {
        this.line.push({ text, style });
        this.lineEl.appendChild(renderSegment(text, style));
      }
      this.lineLength += text.length;
      this.cursor = this.lineLength;
      return;
    }
    // Overwrite from the cursor, as a terminal does after a carriage return.
    const before = slice(this.line, 0, this.cursor);
    const after = slice(this.line, this.cursor + text.length, this.lineLength);
    this.line = merge([...before, { text, style }, ...after]);
    this.cursor += text.length;
    this.lineLength = Math.max(this.lineLength, this.cursor);
    this.renderLine();
  }

  private erase(mode: 0 | 1 | 2): void {
    // The cursor stays where it is; erased cells become blanks, as on a terminal.
    if (mode === 0) {
      this.line = slice(this.line, 0, this.cursor);
      this.lineLength = this.cursor;
    } else if (mode === 1) {
      // From the start of the line through the cell under the cursor.
      const end = Math.min(this.cursor + 1, this.lineLength);
      this.line = merge([{ text: " ".repeat(end), style: PLAIN }, ...slice(this.line, end, this.lineLength)]);
    } else {
      this.line = this.cursor > 0 ? [{ text: " ".repeat(this.cursor), style: PLAIN }] : [];
      this.lineLength = this.cursor;
    }
    this.renderLine();
  }

  private renderLine(): void {
    clear(this.lineEl);
    for (const seg of this.line) this.lineEl.appendChild(renderSegment(seg.text, seg.style));
  }

  private newLine(): HTMLElement {
    const el = document.createElement("span");
    el.className = "term-line";
    this.root.appendChild(el);
    return el;
  }
}

function slice(line: Segment[], from: number, to: number): Segment[] {
  const out: Segment[] = [];
  let pos = 0;
  for (const seg of line) {
    const start = pos;
    const end = pos + seg.text.length;
    pos = end;
    if (end <= from || start >= to) continue;
    out.push({ text: seg.text.slice(Math.max(0, from - start), Math.min(seg.text.length, to - start)), style: seg.style });
  }
  return out;
}

function merge(segments: Segment[]): Segment[] {
  const out: Segment[] = [];
  for (const seg of segments) {
    if (!seg.text) continue;
    const last = out[out.length - 1];
    if (last && sameStyle(last.style, seg.style)) last.text += seg.text;
    else out.push({ ...seg });
  }
  return out;
}

/** A text node for plain text, else a span with ansi-* classes (and inline colours beyond 16). */
export function renderSegment(text: string, style: Style): Node {
  if (isPlain(style)) return document.createTextNode(text);
  const span = document.createElement("span");
  const classes: string[] = [];
  let fg = style.fg;
  let bg = style.bg;
  if (style.inverse) {
    [fg, bg] = [bg, fg];
    if (fg === null) classes.push("ansi-inverse-fg");
    if (bg === null) classes.push("ansi-inverse-bg");
  }
  applyColor(span, classes, fg, "fg");
  applyColor(span, classes, bg, "bg");
  if (style.bold) classes.push("ansi-bold");
  if (style.dim) classes.push("ansi-dim");
  if (style.italic) classes.push("ansi-italic");
  if (style.underline) classes.push("ansi-underline");
  if (style.strike) classes.push("ansi-strike");
  span.className = classes.join(" ");
  span.appendChild(document.createTextNode(text));
  return span;
}

function applyColor(span: HTMLElement, classes: string[], color: Color | null, which: "fg" | "bg"): void {
  if (color === null) return;
  const css = cssColor(color);
  if (css === null) classes.push(`ansi-${which}-${color as number}`);
  else if (which === "fg") span.style.color = css;
  else span.style.backgroundColor = css;
}

/** The live output pane (#output): a renderer plus sticky auto-scroll. */
export class OutputPane {
  private readonly renderer: TerminalRenderer;
  private stick = true;
  private scrollQueued = false;

  constructor(private readonly el: HTMLElement) {
    this.renderer = new TerminalRenderer(el);
    el.classList.add("output-empty");
    el.addEventListener("scroll", () => {
      this.stick = el.scrollHeight - el.scrollTop - el.clientHeight <= STICK_SLACK;
    });
  }

  append(text: string): void {
    if (!text) return;
    this.renderer.write(text);
    this.el.classList.remove("output-empty");
    this.scrollSoon();
  }

  clear(): void {
    this.renderer.reset();
    this.stick = true;
    this.el.scrollTop = 0;
    this.el.classList.add("output-empty");
  }

  private scrollSoon(): void {
    if (!this.stick || this.scrollQueued) return;
    this.scrollQueued = true;
    const run = () => {
      this.scrollQueued = false;
      if (this.stick) this.el.scrollTop = this.el.scrollHeight;
    };
    if (typeof requestAnimationFrame === "function") requestAnimationFrame(run);
    else run();
  }
}
