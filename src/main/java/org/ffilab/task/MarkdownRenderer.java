package org.ffilab.task;

import java.util.List;

import com.vladsch.flexmark.ext.gfm.strikethrough.StrikethroughExtension;
import com.vladsch.flexmark.ext.tables.TablesExtension;
import com.vladsch.flexmark.html.HtmlRenderer;
import com.vladsch.flexmark.parser.Parser;
import com.vladsch.flexmark.util.data.MutableDataSet;

import org.springframework.stereotype.Component;

/**
 * Markdown to safe HTML: raw HTML in the source is escaped rather than passed through, and
 * javascript: links are suppressed, so content can never inject script into a page.
 */
@Component
public class MarkdownRenderer {

	private final Parser parser;

	private final HtmlRenderer renderer;

	public MarkdownRenderer() {
		var options = new MutableDataSet().set(Parser.EXTENSIONS,
				List.of(TablesExtension.create(), StrikethroughExtension.create()))
			.set(HtmlRenderer.ESCAPE_HTML, true)
			.set(HtmlRenderer.SUPPRESSED_LINKS, "(?i)\\s*(javascript|vbscript|data):.*")
			.set(HtmlRenderer.FENCED_CODE_LANGUAGE_CLASS_PREFIX, "language-");
		this.parser = Parser.builder(options).build();
		this.renderer = HtmlRenderer.builder(options).build();
	}

	public String render(String markdown) {
		return this.renderer.render(this.parser.parse(markdown));
	}

}
