import { describe, expect, it } from "vitest";
import { AnsiParser, PLAIN, applySgr, cssColor, type Token } from "../src/ansi";

function parse(...chunks: string[]): Token[] {
  const p = new AnsiParser();
  return chunks.flatMap((c) => p.feed(c));
}

/** Text tokens only, with a compact style description. */
function texts(tokens: Token[]): [string, string][] {
  return tokens
    .filter((t): t is Extract<Token, { type: "text" }> => t.type === "text")
    .map((t) => {
      const s = t.style;
      const parts: string[] = [];
      if (s.fg !== null) parts.push(`fg=${JSON.stringify(s.fg)}`);
      if (s.bg !== null) parts.push(`bg=${JSON.stringify(s.bg)}`);
      for (const k of ["bold", "dim", "italic", "underline", "inverse", "strike"] as const) if (s[k]) parts.push(k);
      return [t.text, parts.join(",")];
    });
}

function kinds(tokens: Token[]): string[] {
  return tokens.map((t) => (t.type === "text" ? `text:${t.text}` : t.type === "erase" ? `erase:${t.mode}` : t.type));
}

describe("AnsiParser", () => {
  it("passes plain text through", () => {
    expect(kinds(parse("hello world"))).toEqual(["text:hello world"]);
  });

  it("splits lines on \\n and \\r\\n", () => {
    expect(kinds(parse("a\nb\r\nc"))).toEqual(["text:a", "newline", "text:b", "newline", "text:c"]);
  });

  it("reads a lone \\r as a carriage return", () => {
    expect(kinds(parse("50%\r100%\n"))).toEqual(["text:50%", "cr", "text:100%", "newline"]);
  });

  it("joins \\r and \\n split across chunks into one line break", () => {
    expect(kinds(parse("a\r", "\nb"))).toEqual(["text:a", "newline", "text:b"]);
  });

  it("reads \\r\\r\\n (a pty translating \\r\\n) as one return and one line break", () => {
    expect(kinds(parse("a\r\r\nb"))).toEqual(["text:a", "cr", "newline", "text:b"]);
  });

  it("applies the 8 basic colours, bright colours and reset", () => {
    expect(texts(parse("\x1b[31mred\x1b[0m plain \x1b[92mbright\x1b[m"))).toEqual([
      ["red", "fg=1"],
      [" plain ", ""],
      ["bright", "fg=10"],
    ]);
  });

  it("applies background colours and default colours", () => {
    expect(texts(parse("\x1b[41;37mx\x1b[39my\x1b[49mz\x1b[104mw"))).toEqual([
      ["x", "fg=7,bg=1"],
      ["y", "bg=1"],
      ["z", ""],
      ["w", "bg=12"],
    ]);
  });

  it("applies bold, dim, italic, underline and their resets", () => {
    expect(texts(parse("\x1b[1mb\x1b[2mbd\x1b[22mn\x1b[3;4mi\x1b[23;24mn"))).toEqual([
      ["b", "bold"],
      ["bd", "bold,dim"],
      ["n", ""],
      ["i", "italic,underline"],
      ["n", ""],
    ]);
  });

  it("treats an empty SGR as a reset", () => {
    expect(texts(parse("\x1b[1;31mx\x1b[my"))).toEqual([
      ["x", "fg=1,bold"],
      ["y", ""],
    ]);
  });

  it("supports 256-colour and truecolor, in ; and : forms", () => {
    expect(texts(parse("\x1b[38;5;208ma\x1b[48;2;10;20;30mb\x1b[0;38:5:33mc\x1b[38:2::1:2:3md\x1b[38:2:4:5:6me"))).toEqual([
      ["a", "fg=208"],
      ["b", 'fg=208,bg={"r":10,"g":20,"b":30}'],
      ["c", "fg=33"],
      ["d", 'fg={"r":1,"g":2,"b":3}'],
      ["e", 'fg={"r":4,"g":5,"b":6}'],
    ]);
  });

  it("ignores out-of-range colours without eating the next parameter", () => {
    expect(texts(parse("\x1b[38;5;300;1mx"))).toEqual([["x", "bold"]]);
  });

  it("keeps the style across chunks and handles a sequence split between chunks", () => {
    expect(texts(parse("\x1b[3", "2mgreen\x1b", "[0m", "plain"))).toEqual([
      ["green", "fg=2"],
      ["plain", ""],
    ]);
  });

  it("strips cursor movement, screen clearing and private modes", () => {
    expect(kinds(parse("\x1b[2J\x1b[H\x1b[?25lhi\x1b[3A\x1b[10;20Hthere\x1b[?1049h"))).toEqual(["text:hithere"]);
  });

  it("strips OSC strings ended by BEL or ST, including split ones", () => {
    expect(kinds(parse("a\x1b]0;title\x07b\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\c", "\x1b]2;ti", "tle\x07d"))).toEqual(["text:ablinkc", "text:d"]);
  });

  it("strips DCS/APC strings and charset selections", () => {
    expect(kinds(parse("\x1bPq#0;2;0;0;0\x1b\\x\x1b(By\x1b_apc\x1b\\z"))).toEqual(["text:xyz"]);
  });

  it("drops other control characters but keeps tabs", () => {
    expect(kinds(parse("a\x00b\x07c\td\x7fe\u0085f"))).toEqual(["text:abc\tdef"]);
  });

  it("reports backspace and erase-in-line", () => {
    expect(kinds(parse("ab\bc\x1b[Kd\x1b[1Ke\x1b[2K"))).toEqual(["text:ab", "backspace", "text:c", "erase:0", "text:d", "erase:1", "text:e", "erase:2"]);
  });

  it("recovers from a malformed CSI by reading the rest as text", () => {
    expect(kinds(parse("\x1b[12\u00e9t\x1b[31"))).toEqual(["text:\u00e9t"]);
  });

  it("gives up on an overlong CSI", () => {
    const tokens = parse("\x1b[" + "1;".repeat(100) + "mX");
    expect(kinds(tokens).join("")).toContain("X");
  });

  it("gives up on an unterminated OSC after a bounded length", () => {
    const tokens = parse("\x1b]0;" + "x".repeat(5000) + "visible");
    expect(kinds(tokens).join("")).toContain("visible");
  });

  it("keeps markup as text", () => {
    expect(kinds(parse("<img src=x onerror=alert(1)>"))).toEqual(["text:<img src=x onerror=alert(1)>"]);
  });

  it("reuses the PLAIN style after a reset", () => {
    const p = new AnsiParser();
    p.feed("\x1b[1mx\x1b[0m");
    expect(p.currentStyle()).toBe(PLAIN);
  });
});

describe("applySgr and cssColor", () => {
  it("returns the same object when nothing changes", () => {
    expect(applySgr(PLAIN, "39;49")).toBe(PLAIN);
  });

  it("maps the 256-colour cube and grey ramp", () => {
    expect(cssColor(1)).toBeNull();
    expect(cssColor(16)).toBe("rgb(0, 0, 0)");
    expect(cssColor(196)).toBe("rgb(255, 0, 0)");
    expect(cssColor(231)).toBe("rgb(255, 255, 255)");
    expect(cssColor(232)).toBe("rgb(8, 8, 8)");
    expect(cssColor(255)).toBe("rgb(238, 238, 238)");
    expect(cssColor({ r: 1, g: 2, b: 3 })).toBe("rgb(1, 2, 3)");
  });
});
