// A streaming parser for terminal output: turns text with ANSI escape sequences into styled text
// tokens. Program output is hostile, so the parser only ever produces plain strings and numbers;
// everything it does not understand is dropped.

/** A palette index (0-255) or a truecolor value. */
export type Color = number | { r: number; g: number; b: number };

export interface Style {
  readonly fg: Color | null;
  readonly bg: Color | null;
  readonly bold: boolean;
  readonly dim: boolean;
  readonly italic: boolean;
  readonly underline: boolean;
  readonly inverse: boolean;
  readonly strike: boolean;
}

export const PLAIN: Style = Object.freeze({
  fg: null,
  bg: null,
  bold: false,
  dim: false,
  italic: false,
  underline: false,
  inverse: false,
  strike: false,
});

export type Token =
  | { type: "text"; text: string; style: Style }
  | { type: "newline" }
  /** Carriage return: the cursor goes back to the start of the current line. */
  | { type: "cr" }
  | { type: "backspace" }
  /** Erase in line (CSI K): 0 = cursor to end, 1 = start to cursor, 2 = whole line. */
  | { type: "erase"; mode: 0 | 1 | 2 };

const enum State {
  Normal,
  Escape,
  Csi,
  /** OSC, DCS, SOS, PM, APC: a string ended by BEL or ESC \. */
  Str,
  StrEscape,
  /** ESC ( B and friends: one more character to skip. */
  Charset,
}

const ESC = "\x1b";
const MAX_CSI = 64;
const MAX_STR = 4096;

export function isPlain(style: Style): boolean {
  return style === PLAIN || sameStyle(style, PLAIN);
}

export function sameStyle(a: Style, b: Style): boolean {
  return (
    a === b ||
    (sameColor(a.fg, b.fg) &&
      sameColor(a.bg, b.bg) &&
      a.bold === b.bold &&
      a.dim === b.dim &&
      a.italic === b.italic &&
      a.underline === b.underline &&
      a.inverse === b.inverse &&
      a.strike === b.strike)
  );
}

function sameColor(a: Color | null, b: Color | null): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a === "number" || typeof b === "number") return false;
  return a.r === b.r && a.g === b.g && a.b === b.b;
}

/**
 * Feed it chunks as they arrive; escape sequences and \r\n pairs split across chunks are handled.
 */
export class AnsiParser {
  private state = State.Normal;
  private csi = "";
  private strLength = 0;
  private crPending = false;
  private style: Style = PLAIN;

  /** Parses a chunk and returns its tokens; adjacent text with the same style is merged. */
  feed(chunk: string): Token[] {
    const out: Token[] = [];
    let text = "";
    const flushText = () => {
      if (text) {
        const last = out[out.length - 1];
        if (last && last.type === "text" && last.style === this.style) last.text += text;
        else out.push({ type: "text", text, style: this.style });
        text = "";
      }
    };

    for (let i = 0; i < chunk.length; i++) {
      const ch = chunk[i];
      const code = ch.charCodeAt(0);

      if (this.crPending) {
        this.crPending = false;
        if (ch === "\n") {
          flushText();
          out.push({ type: "newline" });
          continue;
        }
        flushText();
        out.push({ type: "cr" });
      }

      switch (this.state) {
        case State.Normal:
          if (code >= 0x20 && code !== 0x7f && (code < 0x80 || code > 0x9f)) {
            text += ch;
          } else if (ch === "\t") {
            text += ch;
          } else if (ch === "\n") {
            flushText();
            out.push({ type: "newline" });
          } else if (ch === "\r") {
            // Wait for the next character: \r\n is one line break.
            this.crPending = true;
          } else if (ch === "\b") {
            flushText();
            out.push({ type: "backspace" });
          } else if (ch === ESC) {
            flushText();
            this.state = State.Escape;
          } else if (code === 0x9b) {
            flushText();
            this.csi = "";
            this.state = State.Csi;
          }
          // Any other control character (BEL, NUL, C1, DEL, ...) is dropped.
          break;

        case State.Escape:
          if (ch === "[") {
            this.csi = "";
            this.state = State.Csi;
          } else if (ch === "]" || ch === "P" || ch === "X" || ch === "^" || ch === "_") {
            this.strLength = 0;
            this.state = State.Str;
          } else if (ch === "(" || ch === ")" || ch === "*" || ch === "+" || ch === "#" || ch === "%") {
            this.state = State.Charset;
          } else if (ch === ESC) {
            // ESC ESC: stay in escape state.
          } else {
            // A two-character sequence (ESC 7, ESC =, ESC c, ...): dropped.
            this.state = State.Normal;
          }
          break;

        case State.Charset:
          this.state = State.Normal;
          break;

        case State.Csi:
          if (code >= 0x40 && code <= 0x7e) {
            this.state = State.Normal;
            this.finishCsi(this.csi, ch, out);
            this.csi = "";
          } else if (code >= 0x20 && code <= 0x3f && this.csi.length < MAX_CSI) {
            this.csi += ch;
          } else {
            // Malformed or overlong: drop the sequence and read this character as text.
            this.state = State.Normal;
            this.csi = "";
            i--;
          }
          break;

        case State.Str:
          if (ch === "\x07") this.state = State.Normal;
          else if (ch === ESC) this.state = State.StrEscape;
          else if (++this.strLength > MAX_STR) this.state = State.Normal;
          break;

        case State.StrEscape:
          // ESC \ ends the string; an ESC followed by anything else ends it and starts a new sequence.
          if (ch === "\\") {
            this.state = State.Normal;
          } else {
            this.state = State.Escape;
            i--;
          }
          break;
      }
    }
    flushText();
    return out;
  }

  /** The current style (for tests and for a renderer that restarts mid-stream). */
  currentStyle(): Style {
    return this.style;
  }

  private finishCsi(params: string, final: string, out: Token[]): void {
    if (final === "m") {
      // Private-parameter forms (CSI > 4 m, ...) are not SGR.
      if (/^[<=>?]/.test(params)) return;
      this.style = applySgr(this.style, params);
    } else if (final === "K" && !/^[<=>?]/.test(params)) {
      const n = params === "" ? 0 : parseInt(params, 10);
      if (n === 0 || n === 1 || n === 2) out.push({ type: "erase", mode: n });
    }
    // Cursor movement, screen clearing, modes and the rest: dropped.
  }
}

/** Applies the parameters of one SGR sequence (the part between "ESC [" and "m"). */
export function applySgr(style: Style, params: string): Style {
  const s = { ...style };
  const parts = params === "" ? [""] : params.split(";");
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    if (part.includes(":")) {
      // ITU T.416 form: 38:5:n, 38:2:r:g:b or 38:2:colorspace:r:g:b.
      const sub = part.split(":").map((x) => (x === "" ? NaN : Number(x)));
      const [p, mode] = sub;
      if ((p === 38 || p === 48 || p === 58) && mode === 5) {
        setColor(s, p, paletteColor(sub[2]));
      } else if ((p === 38 || p === 48 || p === 58) && mode === 2) {
        const rgb = sub.length >= 6 ? sub.slice(3, 6) : sub.slice(2, 5);
        setColor(s, p, rgbColor(rgb[0], rgb[1], rgb[2]));
      } else if (p === 4) {
        s.underline = sub[1] !== 0;
      }
      continue;
    }
    const n = part === "" ? 0 : Number(part);
    if (!Number.isInteger(n)) continue;
    if (n === 0) Object.assign(s, PLAIN);
    else if (n === 1) s.bold = true;
    else if (n === 2) s.dim = true;
    else if (n === 3) s.italic = true;
    else if (n === 4) s.underline = true;
    else if (n === 7) s.inverse = true;
    else if (n === 9) s.strike = true;
    else if (n === 21) s.underline = true; // double underline on most terminals
    else if (n === 22) s.bold = s.dim = false;
    else if (n === 23) s.italic = false;
    else if (n === 24) s.underline = false;
    else if (n === 27) s.inverse = false;
    else if (n === 29) s.strike = false;
    else if (n >= 30 && n <= 37) s.fg = n - 30;
    else if (n === 39) s.fg = null;
    else if (n >= 40 && n <= 47) s.bg = n - 40;
    else if (n === 49) s.bg = null;
    else if (n >= 90 && n <= 97) s.fg = n - 90 + 8;
    else if (n >= 100 && n <= 107) s.bg = n - 100 + 8;
    else if (n === 38 || n === 48 || n === 58) {
      const mode = Number(parts[i + 1]);
      if (mode === 5) {
        setColor(s, n, paletteColor(Number(parts[i + 2])));
        i += 2;
      } else if (mode === 2) {
        setColor(s, n, rgbColor(Number(parts[i + 2]), Number(parts[i + 3]), Number(parts[i + 4])));
        i += 4;
      } else {
        i += 1;
      }
    }
    // Blink, fonts, overline and the rest are ignored.
  }
  return sameStyle(s, style) ? style : isPlain(s) ? PLAIN : Object.freeze(s);
}

function setColor(s: { fg: Color | null; bg: Color | null }, which: number, color: Color | null): void {
  if (color === null) return;
  if (which === 38) s.fg = color;
  else if (which === 48) s.bg = color;
  // 58 (underline colour) is parsed so its arguments are skipped, and then ignored.
}

function paletteColor(n: number): Color | null {
  return Number.isInteger(n) && n >= 0 && n <= 255 ? n : null;
}

function rgbColor(r: number, g: number, b: number): Color | null {
  const ok = (x: number) => Number.isInteger(x) && x >= 0 && x <= 255;
  return ok(r) && ok(g) && ok(b) ? { r, g, b } : null;
}

/**
 * The CSS colour of a 256-colour palette entry from 16 up, or of a truecolor value; the first 16
 * are left to the stylesheet (classes ansi-fg-N / ansi-bg-N) so the theme can pick them.
 */
export function cssColor(color: Color): string | null {
  if (typeof color !== "number") return `rgb(${color.r}, ${color.g}, ${color.b})`;
  if (color < 16) return null;
  if (color < 232) {
    const i = color - 16;
    const level = (x: number) => (x === 0 ? 0 : 55 + x * 40);
    return `rgb(${level(Math.floor(i / 36))}, ${level(Math.floor(i / 6) % 6)}, ${level(i % 6)})`;
  }
  const grey = 8 + (color - 232) * 10;
  return `rgb(${grey}, ${grey}, ${grey})`;
}
