"""html_to_text: layout of blocks, lists and tables, entities, what is dropped, malformed
and hostile markup, and big bodies."""

from __future__ import annotations

import pytest

from adapters.text import clean_text, html_to_text, looks_like_html


@pytest.mark.parametrize(
    ("markup", "expected"),
    [
        ("<p>one</p><p>two</p>", "one\n\ntwo"),
        (
            "<p>Hello\n     world,\n  wrapped in the source</p>",
            "Hello world, wrapped in the source",
        ),
        ("a<br>b<br/>c<BR />d", "a\nb\nc\nd"),
        ("a<br><br>b", "a\n\nb"),
        ("<div>line one</div><div>line two</div>", "line one\nline two"),
        ("<h1>Title</h1>text", "Title\n\ntext"),
        ("before<hr>after", "before\n\nafter"),
        ("a <b>bold</b> and <i>italic</i>, <span>inline</span>", "a bold and italic, inline"),
        ("  <p>  padded  </p>  ", "padded"),
        ("x</br>y", "x\ny"),  # browsers read a stray </br> as <br>
    ],
)
def test_blocks_and_breaks(markup: str, expected: str) -> None:
    assert html_to_text(markup) == expected


def test_lists() -> None:
    markup = (
        "<p>Steps:</p><ol><li>Restart</li><li>Update<ul><li>driver</li><li>firmware</li>"
        "</ul></li><li>Call us</li></ol><ul><li>bullet</li></ul><ol start='7'><li>seven</li></ol>"
    )
    assert html_to_text(markup) == (
        "Steps:\n\n1. Restart\n2. Update\n  - driver\n  - firmware\n3. Call us\n\n"
        "- bullet\n\n7. seven"
    )


def test_unclosed_list_items() -> None:
    assert html_to_text("<ul><li>one<li>two<li>three</ul>") == "- one\n- two\n- three"


def test_tables() -> None:
    markup = "<table><tr><th>Host</th><th>State</th></tr><tr><td>db1</td><td>down</td></tr></table>"
    assert html_to_text(markup) == "Host | State\ndb1 | down"


def test_blockquote_is_marked_as_a_quote() -> None:
    markup = (
        "<p>Thanks!</p><blockquote><div>On Monday you wrote:</div><div>it broke</div></blockquote>"
    )
    assert html_to_text(markup) == "Thanks!\n\n> On Monday you wrote:\n> it broke"


def test_pre_keeps_its_whitespace() -> None:
    markup = "<p>Log:</p><pre>  line 1\n\tline 2\n    line 3</pre><p>end</p>"
    assert html_to_text(markup) == "Log:\n\n  line 1\n\tline 2\n    line 3\n\nend"


@pytest.mark.parametrize(
    ("markup", "expected"),
    [
        ("Tom &amp; Jerry", "Tom & Jerry"),
        ("&lt;b&gt;not bold&lt;/b&gt;", "<b>not bold</b>"),
        ("&quot;q&quot; &#39;s&#39; &apos;a&apos;", "\"q\" 's' 'a'"),
        ("caf&eacute; &#233; &#xE9; &euro;", "café é é €"),
        ("a&nbsp;b", "a\u00a0b"),
        ("&copy 2024", "© 2024"),  # without the semicolon, as browsers accept
        ("&bogus; & alone", "&bogus; & alone"),
        ("&#0; &#xD800; &#x110000;", "\ufffd \ufffd \ufffd"),
    ],
)
def test_entities(markup: str, expected: str) -> None:
    assert html_to_text(markup) == expected


def test_entities_cannot_smuggle_controls(forbidden: frozenset[str]) -> None:
    markup = (
        "<p>&#x1b;[2J&#27;]52;c;ZXZpbA==&#7; &#x202e;evil&#x2066; &#x9b;2J &#127; &#x85; "
        "&#x2028;</p>"
    )
    text = html_to_text(markup)
    assert not set(text) & forbidden
    assert "evil" in text


def test_link_targets_are_shown_when_the_text_hides_them() -> None:
    markup = (
        '<a href="https://evil.example/login">your invoice</a>, '
        '<a href="https://ok.example/">https://ok.example</a>, '
        '<a href="https://www.ok.example">ok.example</a>, '
        '<a href="mailto:help@ok.example">help@ok.example</a>, '
        '<a href="javascript:alert(1)">js</a>, <a href="#top">top</a>, <a>bare</a>'
    )
    assert html_to_text(markup) == (
        "your invoice (https://evil.example/login), https://ok.example, ok.example, "
        "help@ok.example, js, top, bare"
    )


def test_script_style_title_comments_are_dropped() -> None:
    markup = (
        "<!DOCTYPE html><html><head><title>Secret title</title>"
        "<style>p { color: red }</style><script>alert('x')</script></head>"
        "<body><!-- a comment --><p>Visible</p><script type='text/javascript'>"
        "if (a < b && c > d) { document.write('</p>') }</script>"
        "<template><p>template</p></template><noscript>No JS</noscript></body></html>"
    )
    text = html_to_text(markup)
    assert text == "Visible\n\nNo JS"
    for gone in ("Secret", "color", "alert", "comment", "document", "template"):
        assert gone not in text


def test_head_without_its_optional_end_tag_does_not_hide_the_body() -> None:
    markup = "<html><head><meta charset=utf-8><title>t</title><body><p>The body</p></html>"
    assert html_to_text(markup) == "The body"


def test_nested_blocks_collapse() -> None:
    markup = (
        "<div><div><div><p>deep</p></div></div></div>"
        "<div></div><div> </div><p></p><p>&nbsp;</p><br><br><br><br>"
        "<div><div>next</div></div>"
    )
    assert html_to_text(markup) == "deep\n\nnext"


def test_markup_inside_html_is_plain_text() -> None:
    markup = "<p>[bold red]x[/bold red] [@click=app.quit]y</p>"
    assert html_to_text(markup) == "[bold red]x[/bold red] [@click=app.quit]y"


def test_outlook_style_email() -> None:
    markup = (
        '<html xmlns:o="urn:schemas-microsoft-com:office:office"><head>'
        '<meta http-equiv="Content-Type" content="text/html; charset=utf-8">'
        "<!--[if gte mso 9]><xml><o:OfficeDocumentSettings></o:OfficeDocumentSettings></xml>"
        "<![endif]--><style><!-- p.MsoNormal {margin:0cm} --></style></head>"
        '<body lang="EN-GB"><div class="WordSection1"><p class="MsoNormal">Hi team,<o:p></o:p></p>'
        '<p class="MsoNormal"><o:p>&nbsp;</o:p></p><p class="MsoNormal">VPN is down.<o:p></o:p>'
        "</p></div></body></html>"
    )
    assert html_to_text(markup) == "Hi team,\n\nVPN is down."


@pytest.mark.parametrize(
    "markup",
    [
        "<p",
        '<a href="',
        "<a href='x",
        "</",
        "<!--",
        "<!-- never closed <p>hidden</p>",
        "<![CDATA[x]]>",
        "<?xml version='1.0'?>",
        "<<>>",
        "< p>not a tag</ p>",
        "<p><b><i>unclosed",
        "</div></div></p></li></ol></blockquote></pre>",
        "<p title='>'>quoted gt</p>",
        '<p title="a"b"c">odd quotes</p>',
        "<scr<script>ipt>alert(1)</script>",
        "<script>never closed",
        "<style>",
        "<ol start='99999999999999999999'><li>huge</li></ol>",
        "<ol start='²'><li>superscript digit</li></ol>",
        "<td>cell</td><tr>row",
        "<a href=https://x.example>unclosed link",
        "</a></a><a></a>",
        "<template><template>",
        "<p>\x00\x1b[2J\ud800</p>",
        "&#xFFFFFFFF; &#99999999999999; &#-1; &#x; &",
        "<div\n\nclass=x\n>multi-line tag</div>",
        "<p =foo>attr without name</p>",
        "<br/><br//><br / >",
    ],
)
def test_malformed_html_never_raises(markup: str, forbidden: frozenset[str]) -> None:
    text = html_to_text(markup)
    assert isinstance(text, str)
    assert not set(text) & forbidden
    assert clean_text(text) == text


def test_malformed_examples_read_sensibly() -> None:
    assert html_to_text("<p title='>'>quoted gt</p>") == "quoted gt"
    assert html_to_text("< p>not a tag</ p>") == "< p>not a tag"
    assert html_to_text("1 < 2 and 3 > 2") == "1 < 2 and 3 > 2"
    assert html_to_text("<!-- never closed <p>hidden</p>") == ""
    assert html_to_text("<ol start='99999999999999999999'><li>huge</li></ol>") == "1. huge"


@pytest.mark.parametrize("empty", [None, "", "   ", "<p></p>", "<!-- -->"])
def test_empty_bodies(empty: str | None) -> None:
    assert html_to_text(empty) == ""


def _realistic_body() -> str:
    chunk = (
        "<div><p>Hello <b>team</b>,</p><p>The printer on floor 3 is &quot;on fire&quot;"
        " &amp; smoking.</p><ul><li>Model: <i>LaserJet 4</i></li><li>Asset: #1234</li></ul>"
        "<table><tr><td>Status</td><td>critical</td></tr></table>"
        '<blockquote>previous message <a href="https://example.com/kb/1">KB</a></blockquote>'
        "<script>var x = '<p>no</p>';</script><!-- tracking --></div>\n"
    )
    return chunk * (1_000_000 // len(chunk) + 1)


def test_a_one_megabyte_body_converts_sanely() -> None:
    body = _realistic_body()
    assert len(body) >= 1_000_000
    text = html_to_text(body)
    repeats = body.count("<div>")
    assert text.count('The printer on floor 3 is "on fire" & smoking.') == repeats
    assert text.count("- Model: LaserJet 4") == repeats
    assert text.count("> previous message KB (https://example.com/kb/1)") == repeats
    assert "<" not in text
    assert "no</p>" not in text
    assert "tracking" not in text
    assert "\n\n\n" not in text
    assert len(text) < len(body)


@pytest.mark.parametrize(
    "pattern",
    [
        '<a b="',  # an unclosed quote in every tag
        "<a",
        "<!--",
        "<![",
        "</",
        "<",
        "< ",
        "&#",
        "<ol><li>x",  # ever deeper nesting
        "<blockquote>x<br>",
        "<a href=http://e.example>",
        "<td>x",
    ],
)
def test_pathological_megabyte_bodies_complete(pattern: str, forbidden: frozenset[str]) -> None:
    # These make the standard library's HTMLParser (and naive regexes) quadratic: minutes
    # for a megabyte. The output must stay proportional to the input, too.
    body = pattern * (1_000_000 // len(pattern))
    text = html_to_text(body)
    assert len(text) <= 3 * len(body)
    assert not set(text) & forbidden


@pytest.mark.parametrize(
    "text",
    [
        "<p>Hello</p>",
        "Hi<br>there",
        "<div class='x'>y</div>",
        "</p>",
        "<B>bold</B>",
        '<a href="https://x">x</a>',
        "<html><body>x</body></html>",
        "<img src=x>",
        "<h2>t</h2>",
    ],
)
def test_looks_like_html(text: str) -> None:
    assert looks_like_html(text)


@pytest.mark.parametrize(
    "text",
    [
        "plain text",
        "1 < 2 and 3 > 2",
        "email me at <ada@example.com>",
        "use the <paragraph> element",
        "x<y",
        "",
        "<" + " " * 100_000,
    ],
)
def test_does_not_look_like_html(text: str) -> None:
    assert not looks_like_html(text)
