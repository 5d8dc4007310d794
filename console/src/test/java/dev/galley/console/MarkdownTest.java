package dev.galley.console;

import java.util.List;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MarkdownTest {
    @Test
    void headingsParagraphsListsAndCodeBecomeBlocks() {
        var blocks = Markdown.blocks("# Title\nsome `code` here\nand more\n\n- a\n- b\n```\nx < y\n```\n### small");
        assertThat(blocks).extracting(Markdown.Block::kind).containsExactly("h1", "p", "ul", "pre", "h3");
        assertThat(blocks.get(1).lines().getFirst()).containsExactly(new Markdown.Span("some ", false),
                new Markdown.Span("code", true), new Markdown.Span(" here and more", false));
        assertThat(blocks.get(2).lines()).hasSize(2);
        assertThat(blocks.get(3).text()).isEqualTo("x < y\n");
    }

    @Test
    void markupStaysTextInTheStructure() {
        var blocks = Markdown.blocks("<script>alert(1)</script>\n[x](javascript:alert(1))");
        assertThat(blocks).hasSize(1);
        assertThat(blocks.getFirst().lines().getFirst()).containsExactly(
                new Markdown.Span("<script>alert(1)</script> [x](javascript:alert(1))", false));
    }

    @Test
    void nothingAndAnUnclosedFenceAreFine() {
        assertThat(Markdown.blocks(null)).isEmpty();
        assertThat(Markdown.blocks("```\nrest")).extracting(Markdown.Block::text).containsExactly("rest\n");
        assertThat(Markdown.blocks("\r\n\r\n")).isEqualTo(List.of());
    }
}
