"""Property-based tests (hypothesis): the front matter reader never crashes, and every mention's
offsets point at exactly its text in the source, whatever the Markdown around it."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph.extract.extractor import Extractor
from graph.extract.places import gazetteer
from graph.extract.text import prose
from graph.extract.vocabulary import load_vocabulary
from graph.model import Page, ParsedSource, Problem
from graph.read.post import parse_source

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

# -- the front matter reader ---------------------------------------------------------------------------

yaml_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=20), st.sampled_from(
        ["2025-02-30", "2025-01-01", "yes", "~", "*a", "&a x", "!!python/object:os.system", "{", "[", '"', "'"])),
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)),
    max_leaves=12)


TOML_VALUES = ["1", "true", '"x"', "2025-01-01", "[1,", '"']
JSON_VALUES = ["1", "true", "null", "[", '"x"']


@st.composite
def front_matter_files(draw) -> bytes:
    kind = draw(st.sampled_from(["yaml", "toml", "json", "raw"]))
    body = draw(st.text(max_size=200))
    if kind == "raw":
        return draw(st.one_of(st.binary(max_size=300), st.text(max_size=300).map(lambda t: t.encode("utf-8"))))
    keys = draw(st.lists(st.sampled_from(["title", "date", "tags", "draft", "author", "x", "title"]), max_size=5))
    if kind == "yaml":
        lines = [f"{k}: {draw(yaml_values)!r}" if draw(st.booleans()) else f"{k}: {draw(st.text(max_size=30))}"
                 for k in keys]
        text = "---\n" + "\n".join(lines) + "\n---\n" + body
    elif kind == "toml":
        lines = [f"{k} = {draw(st.sampled_from(TOML_VALUES))}" for k in keys]
        text = "+++\n" + "\n".join(lines) + "\n+++\n" + body
    else:
        text = "{" + ", ".join(f'"{k}": {draw(st.sampled_from(JSON_VALUES))}' for k in keys) + "}\n" + body
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    bom = draw(st.sampled_from(["", "\ufeff"]))
    return (bom + text.replace("\n", newline)).encode("utf-8")


@SETTINGS
@given(front_matter_files())
def test_front_matter_reader_never_raises(data: bytes) -> None:
    result = parse_source("content/x.md", data)
    assert isinstance(result, (ParsedSource, Problem))
    if isinstance(result, Problem):
        assert result.path == "content/x.md" and result.reason
        assert result.line is None or 1 <= result.line <= data.count(b"\n") + 2
    else:
        assert isinstance(result.front_matter, dict)
        assert result.text[result.body_offset:] == result.body


# -- offsets of mentions --------------------------------------------------------------------------------

NAMES = ["Kubernetes", "OpenStack", "SCaLE", "Zuul", "Pasadena, California", "São Paulo, Brasil", "KubeCon",
         "OpenInfra Foundation", "Ceph", "Kata Containers", "Bogotá, Colombia", "OpenInfra Days North America 2025"]
PROSE = ["the team met in", "and then", "con", "em", "was co-located with", "Día 1:", "naïve café", "—", "🙂",
         "we talked about", "en", "alongside"]
# Any text but NUL: a NUL byte makes the file binary, which parse_source refuses on purpose (test_hostile).
WORDS = st.text(alphabet=st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), max_size=12)
BLOCKS = st.one_of(
    st.lists(st.one_of(st.sampled_from(NAMES), st.sampled_from(PROSE), WORDS), min_size=1,
             max_size=12).map(" ".join),
    st.sampled_from(NAMES).map(lambda n: f"```\n{n} in code\n```"),
    st.sampled_from(NAMES).map(lambda n: f"`{n}` inline"),
    st.sampled_from(NAMES).map(lambda n: f'{{{{< figure caption="{n}" >}}}}'),
    st.sampled_from(NAMES).map(lambda n: f"## {n} recap"),
    st.sampled_from(NAMES).map(lambda n: f"- {n}\n  - nested {n}"),
    st.sampled_from(NAMES).map(lambda n: f"<!-- {n} -->"),
    st.sampled_from(NAMES).map(lambda n: f"[{n}](https://example.org/{n.replace(' ', '-')})"),
)


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor(load_vocabulary("https://example.org/id/"), gazetteer())


@SETTINGS
@given(blocks=st.lists(BLOCKS, min_size=1, max_size=8), crlf=st.booleans(), bom=st.booleans(),
       title=st.sampled_from(NAMES))
def test_mention_offsets_are_exact(extractor: Extractor, blocks: list[str], crlf: bool, bom: bool, title: str) -> None:
    newline = "\r\n" if crlf else "\n"
    text = f'---\ntitle: "{title} recap"\ndate: 2025-04-18\n---\n' + "\n\n".join(blocks) + "\n"
    data = (("\ufeff" if bom else "") + text.replace("\n", newline)).encode("utf-8")
    parsed = parse_source("content/post.md", data)
    assert isinstance(parsed, ParsedSource), parsed
    page = Page(rel_path="content/post.md", lang="en", kind="page", section="blog", title=f"{title} recap",
                permalink="https://example.org/post/", text=parsed.text,
                body_offset=parsed.body_offset, body_line=parsed.body_line, content_hash=parsed.content_hash,
                front_matter=parsed.front_matter, date=parsed.date)
    ext = extractor.extract(page)
    source = data.decode("utf-8-sig")
    assert source == page.text
    doc = prose(page.text, page.body_offset)
    for m in ext.mentions:
        span = source[m.start:m.end]
        assert 0 <= m.start < m.end <= len(source)
        assert span and span == span.strip(), (m, span)
        assert doc.masked[m.start:m.end] == span, f"{span!r} at {m.start} is inside code, a URL or markup"
