"""The ``arsearch`` command, run as a user runs it: in a subprocess."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys

import pytest
from helpers.cli import command, run

SEED_ID = "000_de690f560e5f0edb"


def test_search_bundled_seed():
    out = run("search", "حفتر").stdout
    # Not a terminal: [ ] marks matches, not « », which Arabic text uses as quotes.
    assert SEED_ID in out and "[حفتر]" in out and "«حفتر»" not in out and "\x1b" not in out


def test_search_json():
    data = json.loads(run("search", "بحفتر", "--json").stdout)
    assert data["query"] == "بحفتر" and data["total"] == len(data["hits"]) >= 1
    hit = data["hits"][0]
    assert hit["id"] == SEED_ID and set(hit) >= {"id", "score", "title", "snippet", "fields"}
    assert "<b>" in hit["snippet"]


def test_no_result_is_not_an_error():
    data = json.loads(run("search", "بغداد", "--json").stdout)
    assert data["hits"] == [] and data["total"] == 0
    assert "no results" in run("search", "بغداد").stdout


def test_index_search_stats(tmp_path):
    src = tmp_path / "src"
    (src / "sub").mkdir(parents=True)
    (src / "a.txt").write_text("زيارة حفتر\nوصل حفتر إلى دمشق", encoding="utf-8")
    (src / "sub" / "b.txt").write_text("خبر عن بنغازي", encoding="utf-8")
    (src / "bad.txt").write_bytes("نص ".encode() + b"\xff\xfe broken")
    jsonl = tmp_path / "docs.jsonl"
    jsonl.write_text(
        json.dumps({"doc": "j1", "body": "حكومة الوفاق في طرابلس", "source": "x"}, ensure_ascii=False)
        + "\n{not json\n"
        + json.dumps({"doc": "j2", "body": "والحكومات العربية"}, ensure_ascii=False)
        + "\n",
        encoding="utf-8",
    )
    ix = tmp_path / "ix"
    proc = run("index", str(src), "--index", str(ix), "-q")
    assert "indexed 2 documents" in proc.stdout
    assert "bad.txt:1: not UTF-8" in proc.stderr
    proc = run("index", str(jsonl), "--index", str(ix), "--id-field", "doc", "--text-field", "body", "-q")
    assert "indexed 2 documents" in proc.stdout and "holds 4" in proc.stdout
    assert f"{jsonl}:2: malformed JSON" in proc.stderr
    csv_file = tmp_path / "docs.csv"
    csv_file.write_text("id,text,title\nc1,وصل حفتر إلى بنغازي,عنوان\n", encoding="utf-8")
    run("index", str(csv_file), "--index", str(ix), "-q")

    data = json.loads(run("search", "لحفتر", "--index", str(ix), "--json").stdout)
    assert {h["id"] for h in data["hits"]} == {"a.txt", "c1"}
    data = json.loads(run("search", '"حكومة الوفاق"', "--index", str(ix), "--json").stdout)
    assert [(h["id"], h["fields"]) for h in data["hits"]] == [("j1", {"source": "x"})]
    stats = json.loads(run("stats", "--index", str(ix), "--json").stdout)
    assert stats["documents"] == 5 and stats["size_bytes"] > 0
    assert "documents: 5" in run("stats", "--index", str(ix)).stdout


def test_analyze_explains_terms():
    out = run("analyze", "وَبِالحُكُومَاتِ في دمشق").stdout
    assert "exact=وبالحكومات" in out and "clitic=حكومات" in out and "stem=حكوم" in out
    assert "stopword" in out
    rows = json.loads(run("analyze", "مُحَمَّدٌ", "--json").stdout)
    assert rows == [
        {"token": "مُحَمَّدٌ", "start": 0, "end": 9, "position": 0, "normalized": "محمد",
         "terms": {"exact": "محمد", "clitic": "محمد", "stem": "محمد"}}
    ]


def test_analyze_shows_both_readings_of_a_first_letter():
    assert "exact=لجنه  clitic=جنه|لجنه  stem=جنه|لجن" in run("analyze", "لجنة").stdout
    (row,) = json.loads(run("analyze", "كتاب", "--json").stdout)
    assert row["terms"] == {"exact": "كتاب", "clitic": "تاب", "stem": "تاب"}
    assert row["readings"] == {"exact": ["كتاب"], "clitic": ["تاب", "كتاب"], "stem": ["تاب", "كتاب"]}


@pytest.mark.parametrize(
    "args, message",
    [
        pytest.param(["search", "حفتر", "--index", "/nonexistent/ix"], "no arsearch index", id="missing index"),
        pytest.param(["stats", "--index", "/nonexistent/ix"], "no arsearch index", id="stats missing index"),
        pytest.param(["search", '"حفتر', "--strict"], "unbalanced", id="strict query"),
    ],
)
def test_errors_are_one_line(args, message):
    proc = run(*args, check_rc=1)
    assert proc.stderr.startswith("arsearch: error: ") and message in proc.stderr


def test_usage_error_exit_status():
    proc = run("search", check_rc=2)
    assert "usage:" in proc.stderr


@pytest.mark.skipif(not hasattr(signal, "SIGPIPE"), reason="no SIGPIPE on this platform")
def test_a_reader_that_stops_early_is_no_error():
    """`arsearch search حفتر | head -0`: the pipe closes before arsearch writes; it stops
    quietly with the shell's status for SIGPIPE, no error message and no traceback."""
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    proc = subprocess.Popen([*command(), "search", "حفتر"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    proc.stdout.close()  # before the child has imported anything, let alone written
    err = proc.stderr.read().decode("utf-8")
    assert proc.wait(timeout=60) == 128 + signal.SIGPIPE
    assert err == ""


HOSTILE_TITLE = '<script>alert("t")</script> حفتر & \'x\''
HOSTILE_TEXT = "حفتر <img src=x onerror=alert(1)> قال <b>حفتر</b> & 1 < 2 \x1b[31m حفتر \x1b[0m وصل"


@pytest.fixture(scope="module")
def hostile_index(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("hostile")
    src = tmp / "docs.jsonl"
    src.write_text(json.dumps({"id": "h", "title": HOSTILE_TITLE, "text": HOSTILE_TEXT}) + "\n", encoding="utf-8")
    run("index", str(src), "--index", str(tmp / "ix"), "-q")
    return str(tmp / "ix")


def test_json_titles_and_snippets_are_html(hostile_index):
    data = json.loads(run("search", "حفتر", "--index", hostile_index, "--json").stdout)
    assert data["markup"] == "html"
    [hit] = data["hits"]
    assert hit["title"] == "&lt;script&gt;alert(&quot;t&quot;)&lt;/script&gt; <b>حفتر</b> &amp; &#x27;x&#x27;"
    assert hit["snippet"] == (
        "<b>حفتر</b> &lt;img src=x onerror=alert(1)&gt; قال &lt;b&gt;<b>حفتر</b>&lt;/b&gt; &amp; 1 &lt; 2"
        " \x1b[31m <b>حفتر</b> \x1b[0m وصل"
    )


def test_json_markers_of_choice_are_escaped_too(hostile_index):
    out = run("search", "حفتر", "--index", hostile_index, "--json", "--markers", "<mark>", "</mark>").stdout
    [hit] = json.loads(out)["hits"]
    assert hit["snippet"].startswith("<mark>حفتر</mark> &lt;img src=x onerror=alert(1)&gt; قال &lt;b&gt;<mark>")
    assert hit["title"].endswith("<mark>حفتر</mark> &amp; &#x27;x&#x27;")


def test_json_plain_gives_text_and_offsets(hostile_index):
    data = json.loads(run("search", "حفتر", "--index", hostile_index, "--json", "--plain").stdout)
    assert data["markup"] == "plain"
    [hit] = data["hits"]
    assert hit["title"] == HOSTILE_TITLE and hit["title_matches"] == [[28, 32]]
    assert hit["snippet"] == HOSTILE_TEXT
    assert [hit["snippet"][s:e] for s, e in hit["snippet_matches"]] == ["حفتر"] * 3


@pytest.mark.parametrize(
    "args, title, snippet",
    [
        pytest.param(
            [],
            "<script>alert(\"t\")</script> [حفتر] & 'x'",
            "[حفتر] <img src=x onerror=alert(1)> قال <b>[حفتر]</b> & 1 < 2 \ufffd[31m [حفتر] \ufffd[0m وصل",
            id="not a terminal",
        ),
        pytest.param(
            ["--color", "always"],
            "<script>alert(\"t\")</script> \x1b[1;31mحفتر\x1b[0m & 'x'",
            "\x1b[1;31mحفتر\x1b[0m <img src=x onerror=alert(1)> قال <b>\x1b[1;31mحفتر\x1b[0m</b> & 1 < 2"
            " \ufffd[31m \x1b[1;31mحفتر\x1b[0m \ufffd[0m وصل",
            id="colour",
        ),
        pytest.param(
            ["--markers", ">>", "<<"],
            "<script>alert(\"t\")</script> >>حفتر<< & 'x'",
            ">>حفتر<< <img src=x onerror=alert(1)> قال <b>>>حفتر<<</b> & 1 < 2 \ufffd[31m >>حفتر<< \ufffd[0m وصل",
            id="markers of choice",
        ),
        pytest.param(
            ["--markers", "<em>", "</em>", "--color", "never"],
            "&lt;script&gt;alert(&quot;t&quot;)&lt;/script&gt; <em>حفتر</em> &amp; &#x27;x&#x27;",
            "<em>حفتر</em> &lt;img src=x onerror=alert(1)&gt; قال &lt;b&gt;<em>حفتر</em>&lt;/b&gt; &amp; 1 &lt; 2"
            " \ufffd[31m <em>حفتر</em> \ufffd[0m وصل",
            id="HTML markers",
        ),
    ],
)
def test_text_output_marks(hostile_index, args, title, snippet):
    out = run("search", "حفتر", "--index", hostile_index, *args).stdout
    assert out == f"1 result\n1. {title}  [h]  score {out.split('score ')[1].split()[0]}\n   {snippet}\n"


def _run_on_terminal(*args: str, **env_vars: str) -> str:
    """The command's output with its stdout a terminal (a pseudo-terminal)."""
    pty = pytest.importorskip("pty")
    leader, follower = pty.openpty()
    # The runner's own colour settings are left out: each case sets its own.
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "TERM")}
    env.update({"PYTHONIOENCODING": "utf-8", "LC_ALL": "C", "TERM": "xterm", **env_vars})
    proc = subprocess.Popen([*command(), *args], stdout=follower, stderr=subprocess.PIPE, env=env)
    os.close(follower)
    out = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal is closed once the command has exited
            break
        if not chunk:
            break
        out += chunk
    os.close(leader)
    assert proc.wait() == 0 and b"Traceback" not in proc.stderr.read()
    return out.decode("utf-8")


@pytest.mark.parametrize(
    "env, marked",
    [
        pytest.param({}, "\x1b[1;31mحفتر\x1b[0m", id="terminal: colour"),
        pytest.param({"NO_COLOR": "1"}, "[حفتر]", id="NO_COLOR set"),
        pytest.param({"TERM": "dumb"}, "[حفتر]", id="dumb terminal"),
    ],
)
def test_colour_on_a_terminal(env, marked):
    out = _run_on_terminal("search", "حفتر", **env)
    assert SEED_ID in out and marked in out


@pytest.mark.parametrize(
    "args",
    [
        pytest.param(["--plain"], id="plain without json"),
        pytest.param(["--json", "--plain", "--markers", "<b>", "</b>"], id="plain with markers"),
        pytest.param(["--markers", "[", "]", "--color", "always"], id="markers and colour"),
        pytest.param(["--color", "sometimes"], id="unknown colour choice"),
    ],
)
def test_marking_options_that_contradict_are_usage_errors(args):
    proc = run("search", "حفتر", *args, check_rc=2)
    assert "usage:" in proc.stderr and "error: " in proc.stderr and "Traceback" not in proc.stderr


# --- options -------------------------------------------------------------------------------
def _search_json(*args: str) -> dict:
    return json.loads(run("search", *args, "--json").stdout)


def _ids(data: dict) -> list[str]:
    return [h["id"] for h in data["hits"]]


def test_version_is_the_installed_package_version():
    from importlib.metadata import version

    proc = run("--version")
    assert proc.stdout == f"arsearch {version('arsearch')}\n"


def test_tsv_input_is_split_on_tabs_only(tmp_path):
    tsv = tmp_path / "docs.tsv"
    tsv.write_text("id\ttext\ttitle\tsource\n"
                   "t1\tوصل حفتر، ثم طرابلس, دمشق\tزيارة\tوكالة\n"
                   "t2\tخبر عن بنغازي\tخبر\tصحيفة\n", encoding="utf-8")
    ix = tmp_path / "ix"
    assert "indexed 2 documents" in run("index", str(tsv), "--index", str(ix), "-q").stdout
    [hit] = _search_json("دمشق", "--index", str(ix), "--plain")["hits"]
    assert (hit["id"], hit["title"], hit["snippet"], hit["fields"]) == ("t1", "زيارة", "وصل حفتر، ثم طرابلس, دمشق",
                                                                         {"source": "وكالة"})


def test_title_field_names_the_field_holding_titles(tmp_path):
    jsonl = tmp_path / "docs.jsonl"
    jsonl.write_text(json.dumps({"id": "j1", "text": "وصل حفتر إلى دمشق", "headline": "زيارة"}, ensure_ascii=False) + "\n",
                     encoding="utf-8")
    with_title, without = tmp_path / "with", tmp_path / "without"
    run("index", str(jsonl), "--index", str(with_title), "--title-field", "headline", "-q")
    run("index", str(jsonl), "--index", str(without), "-q")
    [hit] = _search_json("دمشق", "--index", str(with_title), "--plain")["hits"]
    assert (hit["title"], hit["fields"]) == ("زيارة", {})
    [hit] = _search_json("دمشق", "--index", str(without), "--plain")["hits"]
    assert (hit["title"], hit["fields"]) == (None, {"headline": "زيارة"})
    # a word of the title finds the document only where it is the title
    assert _ids(_search_json("title:زيارة", "--index", str(with_title))) == ["j1"]
    assert _ids(_search_json("title:زيارة", "--index", str(without))) == []


@pytest.mark.parametrize("batch_size, commits", [("2", 3), ("5", 1), ("1", 5)])
def test_batch_size_is_the_documents_per_commit(tmp_path, batch_size, commits):
    from whoosh import index as windex

    jsonl = tmp_path / "docs.jsonl"
    jsonl.write_text("".join(json.dumps({"id": f"d{n}", "text": f"حفتر {n}"}) + "\n" for n in range(5)), encoding="utf-8")
    ix = tmp_path / "ix"
    run("index", str(jsonl), "--index", str(ix), "--batch-size", batch_size, "-q")
    # each commit writes the next table of contents; creating the index wrote the first (0)
    assert windex.open_dir(str(ix)).latest_generation() == commits
    assert len(_ids(_search_json("حفتر", "--index", str(ix), "--limit", "10"))) == 5


def test_batch_size_below_one_is_a_usage_error(tmp_path):
    proc = run("index", str(tmp_path), "--index", str(tmp_path / "ix"), "--batch-size", "0", check_rc=2)
    assert "--batch-size must be at least 1" in proc.stderr


@pytest.fixture(scope="module")
def three_docs(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("three")
    src = tmp / "docs.jsonl"
    docs = [{"id": "both", "text": "زار حفتر دمشق"}, {"id": "haftar", "text": "قال حفتر"},
            {"id": "vocalized", "text": "رأيت المَلِكَ وحفتر"}, {"id": "other", "text": "رأيت المُلْكَ"}]
    src.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in docs), encoding="utf-8")
    run("index", str(src), "--index", str(tmp / "ix"), "-q")
    return str(tmp / "ix")


@pytest.mark.parametrize(
    "mode, others",
    [
        pytest.param("all", set(), id="all"),
        pytest.param("any", {("haftar", False), ("vocalized", False)}, id="any"),
        pytest.param("auto", {("haftar", True), ("vocalized", True)}, id="auto: partial matches after"),
    ],
)
def test_mode(three_docs, mode, others):
    data = _search_json("حفتر دمشق", "--index", three_docs, "--mode", mode)
    got = [(h["id"], h["partial"]) for h in data["hits"]]
    assert got[0] == ("both", False)  # the one holding both words first
    assert set(got[1:]) == others and len(got) == 1 + len(others)


def test_unknown_mode_is_a_usage_error(three_docs):
    proc = run("search", "حفتر", "--index", three_docs, "--mode", "some", check_rc=2)
    assert "invalid choice: 'some'" in proc.stderr


@pytest.mark.parametrize("limit, n", [("1", 1), ("2", 2), ("10", 3)])
def test_limit(three_docs, limit, n):
    assert len(_ids(_search_json("حفتر", "--index", three_docs, "--limit", limit))) == n


def test_limit_below_one_is_a_usage_error(three_docs):
    proc = run("search", "حفتر", "--index", three_docs, "--limit", "0", check_rc=2)
    assert "--limit must be at least 1" in proc.stderr


def test_match_diacritics(three_docs):
    assert set(_ids(_search_json("المَلِكَ", "--index", three_docs))) == {"vocalized", "other"}
    assert _ids(_search_json("المَلِكَ", "--index", three_docs, "--match-diacritics")) == ["vocalized"]


@pytest.mark.parametrize(
    "stemmer, stem",
    [
        pytest.param("light", "مدرس", id="light: ة comes off"),
        pytest.param("tashaphyne", "مدرسه", id="tashaphyne: ة stays"),
        pytest.param("none", "بالمدرسه", id="none: normalized only"),
    ],
)
def test_analyze_stemmer(stemmer, stem):
    (row,) = json.loads(run("analyze", "بالمدرسة", "--stemmer", stemmer, "--json").stdout)
    assert row["terms"]["stem"] == stem


def test_lock_timeout_is_how_long_index_waits_for_another_writer(tmp_path):
    ix = tmp_path / "ix"
    src = tmp_path / "a.txt"
    src.write_text("حفتر", encoding="utf-8")
    run("index", str(src), "--index", str(ix), "-q")
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys\n"
         "from whoosh.filedb.filestore import FileStorage\n"
         "lock = FileStorage(sys.argv[1]).lock('MAIN_WRITELOCK')\n"
         "assert lock.acquire(False)\n"
         "print('locked', flush=True)\n"
         "sys.stdin.readline()\n", str(ix)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline() == "locked\n"
        proc = run("index", str(src), "--index", str(ix), "--lock-timeout", "0.2", "-q", check_rc=1)
        assert proc.stderr.startswith("arsearch: error: another writer held the lock") and "0.2 s" in proc.stderr
    finally:
        holder.stdin.close()
        holder.wait(timeout=60)
    assert "holds 1" in run("index", str(src), "--index", str(ix), "--lock-timeout", "60", "-q").stdout


def test_analyze_shows_the_arabic_words_a_latin_name_may_write(tmp_path):
    from arsearch import Index

    with Index(tmp_path / "ix") as ix:
        ix.add_many([{"id": "a", "text": "أعلن شعبان وحفتر الخطة"}])
    rows = json.loads(run("analyze", "Sha'ban Haftar", "--index", str(tmp_path / "ix"), "--json").stdout)
    latin = {row["token"]: [w for w, _ in row["latin"]] for row in rows}
    # Sha'ban is one name, as a search reads it: both its tokens show its words
    assert latin["Sha"][:1] == latin["ban"][:1] == ["شعبان"] and latin["Haftar"][:1] == ["حفتر"], rows
