"""What a hit shows: snippets and titles, marked, escaped when they are HTML, and the
first match of a long document wherever it is."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from arsearch import Index, snippets
from arsearch.snippets import Snippet, mark

B = ("<b>", "</b>")


class _Tags(HTMLParser):
    """The tags and character data a browser would see in a piece of HTML."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list]] = []
        self.bold: list[str] = []
        self.data: list[str] = []
        self._in_b = 0
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))
        self._in_b += tag == "b"

    def handle_endtag(self, tag):
        self.tags.append(("/" + tag, []))
        self._in_b -= tag == "b"

    def handle_data(self, data):
        self.data.append(data)
        if self._in_b:
            self.bold.append(data)


def assert_safe_html(shown: str, original: str, bold: list[str]) -> None:
    """``shown`` holds no tag but the markers, reads as ``original`` in a browser, and
    marks exactly ``bold``."""
    page = _Tags(shown)
    assert {tag for tag, _ in page.tags} <= {"b", "/b"} and all(attrs == [] for _, attrs in page.tags), page.tags
    assert page.bold == bold
    assert "".join(page.data).removeprefix("… ").removesuffix(" …") in original


# (title, text, query, expected marked_title, expected snippet), markers <b> </b>.
HOSTILE = [
    pytest.param(
        '<script>alert("t")</script> حفتر',
        "وصل حفتر <script>alert(1)</script> إلى دمشق",
        "حفتر",
        "&lt;script&gt;alert(&quot;t&quot;)&lt;/script&gt; <b>حفتر</b>",
        "وصل <b>حفتر</b> &lt;script&gt;alert(1)&lt;/script&gt; إلى دمشق",
        id="script tags",
    ),
    pytest.param(
        "<img src=x onerror=alert(1)>حفتر",
        "حفتر في بنغازي <img src=x onerror=alert(1)> اليوم",
        "حفتر",
        "&lt;img src=x onerror=alert(1)&gt;<b>حفتر</b>",
        "<b>حفتر</b> في بنغازي &lt;img src=x onerror=alert(1)&gt; اليوم",
        id="event handler attribute",
    ),
    pytest.param(
        "حفتر & 'الوفاق' < \"دمشق\"",
        'حفتر <a href="javascript:alert(1)" title=\'x\'>حفتر</a> & 1 < 2 اليوم',
        "حفتر",
        "<b>حفتر</b> &amp; &#x27;الوفاق&#x27; &lt; &quot;دمشق&quot;",
        "<b>حفتر</b> &lt;a href=&quot;javascript:alert(1)&quot; title=&#x27;x&#x27;&gt;<b>حفتر</b>&lt;/a&gt;"
        " &amp; 1 &lt; 2 اليوم",
        id="quotes ampersands and less-than",
    ),
    pytest.param(
        "<b>عنوان</b> حفتر",
        "قال <b>حفتر</b> إن </b><b>دمشق</b> بعيدة",
        "حفتر",
        "&lt;b&gt;عنوان&lt;/b&gt; <b>حفتر</b>",
        "قال &lt;b&gt;<b>حفتر</b>&lt;/b&gt; إن &lt;/b&gt;&lt;b&gt;دمشق&lt;/b&gt; بعيدة",
        id="the marker strings in the document",
    ),
    pytest.param(
        None,
        "&lt;script&gt; حفتر &amp; دمشق",
        "حفتر",
        None,
        "&amp;lt;script&amp;gt; <b>حفتر</b> &amp;amp; دمشق",
        id="entities are text too",
    ),
]


@pytest.mark.parametrize("title, text, query, want_title, want_snippet", HOSTILE)
def test_html_markers_escape_text_and_title(title, text, query, want_title, want_snippet):
    ix = Index()
    ix.add("d", text, title=title)
    [hit] = ix.search(query, markers=B)
    assert (hit.marked_title, hit.snippet) == (want_title, want_snippet)
    assert hit.title == title  # the document's own title, as added
    assert_safe_html(hit.snippet, text, ["حفتر"] * want_snippet.count("<b>"))
    if title is not None:
        assert_safe_html(hit.marked_title, title, ["حفتر"])
    assert hit.as_dict()["title"] == want_title and hit.as_dict()["snippet"] == want_snippet


@pytest.mark.parametrize(
    "markers, escape_html, want",
    [
        pytest.param(
            ('<mark class="hit">', "</mark>"), None, '<mark class="hit">حفتر</mark> &lt;i&gt; وصل', id="any tag is HTML"
        ),
        pytest.param(("[", "]"), True, "[حفتر] &lt;i&gt; وصل", id="escaping asked for"),
        pytest.param(("<<", ">>"), None, "<<حفتر>> <i> وصل", id="not HTML: not escaped"),
        pytest.param(B, False, "<b>حفتر</b> <i> وصل", id="trusted text: escaping turned off"),
    ],
)
def test_when_text_is_escaped(markers, escape_html, want):
    ix = Index()
    ix.add("d", "حفتر <i> وصل")
    assert ix.search("حفتر", markers=markers, escape_html=escape_html)[0].snippet == want


def test_plain_snippet_gives_offsets_of_matched_words():
    ix = Index()
    title = "<b>حفتر</b> & [دمشق]"
    ix.add("d", "قال   <b>حفتر</b>\n\nإن [حفتر] في دمشق، ولحفتر", title=title)
    [hit] = ix.search("حفتر", markers=B)
    assert hit.plain_snippet == Snippet(
        "قال <b>حفتر</b> إن [حفتر] في دمشق، ولحفتر", ((7, 11), (20, 24), (35, 41))
    )
    assert hit.plain_title == Snippet(title, ((3, 7),))
    assert [hit.plain_snippet.text[s:e] for s, e in hit.plain_snippet.matches] == ["حفتر", "حفتر", "ولحفتر"]
    assert mark(hit.plain_snippet, B, escape_html=True) == hit.snippet
    assert hit.as_dict(plain=True) == {
        "id": "d",
        "score": round(hit.score, 6),
        "title": title,
        "title_matches": [[3, 7]],
        "snippet": hit.plain_snippet.text,
        "snippet_matches": [[7, 11], [20, 24], [35, 41]],
        "fields": {},
        "partial": False,
    }


FILLER = "قال المتحدث باسم الحكومة إن الاجتماع سيعقد في طرابلس الأسبوع المقبل لبحث الأوضاع "


def _long_text(at: int, word: str = "حفتر") -> str:
    """Filler words with no match, then ``word`` at character ``at``, then more filler."""
    head = (FILLER * (at // len(FILLER) + 1))[:at]
    head = head[: head.rfind(" ") + 1].ljust(at)
    return head + word + " " + FILLER * 3


@pytest.mark.parametrize(
    "at",
    [
        pytest.param(1_000, id="near the start"),
        pytest.param(snippets.SCAN_CHARS - 2, id="across the end of the first scan"),
        pytest.param(300_000, id="300,000"),
        pytest.param(2_000_000, id="2,000,000"),
    ],
)
def test_first_match_is_shown_wherever_it_is(at):
    ix = Index()
    text = _long_text(at, "لحفتر")
    assert text[at : at + 5] == "لحفتر"
    ix.add("far", text)
    [hit] = ix.search("حفتر")
    assert hit.snippet.count("[لحفتر]") == 1
    assert hit.snippet.startswith("… ") and hit.snippet.endswith(" …")
    # Four words of context before the match, as for a match near the start.
    before = hit.snippet.removeprefix("… ").split(" [لحفتر]")[0]
    assert len(before.split()) == snippets.CONTEXT_WORDS
    [(start, end)] = hit.plain_snippet.matches
    assert hit.plain_snippet.text[start:end] == "لحفتر"


def test_a_long_text_matched_by_its_title_shows_its_beginning():
    ix = Index()
    text = FILLER * 30_000
    ix.add("t", text, title="حفتر")
    [hit] = ix.search("حفتر")
    assert hit.marked_title == "[حفتر]"
    assert hit.snippet == " ".join(text.split()[: snippets.WINDOW_WORDS]) + " …"


def test_a_search_that_gives_up_says_how_far_it_looked(monkeypatch):
    # Each filler piece is a new word: the far search stops at FAR_WORDS of them.
    monkeypatch.setattr(snippets, "FAR_WORDS", 1_000)
    monkeypatch.setattr(snippets, "CHUNK_CHARS", 10_000)
    filler = " ".join(f"كلمة{n}" for n in range(60_000))
    ix = Index()
    ix.add("many", filler + " حفتر")
    [hit] = ix.search("حفتر")
    assert "[" not in hit.snippet and hit.plain_snippet.matches == ()
    looked = int(hit.snippet.rsplit("no match in the first ", 1)[1].split()[0].replace(",", ""))
    assert snippets.SCAN_CHARS < looked < len(filler)
    assert hit.snippet.endswith(f" … (no match in the first {looked:,} characters)")


@pytest.mark.parametrize(
    "cluster_at, shown",
    [
        pytest.param(snippets.SCAN_CHARS - 1_000, "cluster", id="the cluster inside the scan: shown"),
        pytest.param(snippets.SCAN_CHARS + 1_000, "first word", id="the cluster past the scan: not looked at"),
    ],
)
def test_the_best_cluster_is_looked_for_in_the_first_scan_chars(cluster_at, shown):
    """One matched word at the start, the three words together at ``cluster_at``: the
    snippet shows the window with the most matched words among the first SCAN_CHARS
    characters only."""
    filler = "قال المتحدث إن الاجتماع سيعقد الأسبوع المقبل لبحث الأوضاع "
    head = "حفتر " + (filler * (cluster_at // len(filler) + 1))
    head = head[: head.rfind(" ", 0, cluster_at) + 1]
    text = head + "دمشق بغداد حفتر " + filler * 3
    ix = Index()
    ix.add("d", text)
    [hit] = ix.search("حفتر دمشق بغداد", mode="any")
    marked = [hit.plain_snippet.text[s:e] for s, e in hit.plain_snippet.matches]
    if shown == "cluster":
        assert marked == ["دمشق", "بغداد", "حفتر"] and hit.snippet.startswith("… ")
    else:
        assert marked == ["حفتر"] and hit.snippet.startswith("[حفتر] قال المتحدث")
