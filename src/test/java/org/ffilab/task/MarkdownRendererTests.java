package org.ffilab.task;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MarkdownRendererTests {

	private final MarkdownRenderer renderer = new MarkdownRenderer();

	@Test
	void rendersParagraphsAndCode() {
		assertThat(this.renderer.render("Call `cos` from **Python**.\n\n```c\nint x;\n```\n"))
			.isEqualTo("<p>Call <code>cos</code> from <strong>Python</strong>.</p>\n"
					+ "<pre><code class=\"language-c\">int x;\n</code></pre>\n");
	}

	@Test
	void escapesRawHtmlInsteadOfPassingItThrough() {
		String html = this.renderer.render("Hello <script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n");
		assertThat(html).doesNotContain("<script").doesNotContain("<img").contains("&lt;script&gt;");
	}

	@Test
	void suppressesJavascriptLinks() {
		String html = this.renderer.render("[click](javascript:alert(1)) and [ok](https://example.org/)");
		assertThat(html).doesNotContain("javascript:").contains("href=\"https://example.org/\"");
	}

}
