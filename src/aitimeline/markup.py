"""Record text into page markup, safe by construction.

Record text comes from pull requests, so none of it reaches the site's Markdown as Markdown:
- `text` makes a value inert: one line, every character that means something to Markdown, its
  extensions or HTML written as a character reference, so it renders as exactly that text in a
  heading, a table cell, link text or an attribute.
- `prose` renders a text field (summary, note, evidence) with a restricted Markdown (paragraphs,
  emphasis, code, lists, http(s) links) and passes the HTML through nh3's allowlist; templates
  put it in a raw HTML block that the site's Markdown never parses.
- `link_target` makes a declared http(s) URL safe as a Markdown link destination.
- `meta` escapes a value for MkDocs' front matter, which the theme prints into `<head>` unescaped.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache
from urllib.parse import quote

import markdown
import nh3
from markupsafe import Markup

TAGS = frozenset({"p", "em", "strong", "code", "ul", "ol", "li", "a", "br"})
SCHEMES = frozenset({"http", "https"})
_CONTROL = {c: None for c in [*range(0x00, 0x20), *range(0x7F, 0xA0), 0x2028, 0x2029, 0xFFFE, 0xFFFF]}
_PROSE_CONTROL = {**_CONTROL, 0x09: " ", 0x0A: "\n"}
_INERT = str.maketrans({**{c: f"&#{ord(c)};" for c in "\"#&'*<>[\\]_`{|}"}, **_CONTROL})
_LINE_START = re.compile(r"^(?:[-+=>?~!:%]|\d+[.)](?=\s|$))")  # what could start a block (a list, a fence...)
_MARKDOWN = re.compile(r"[*_`\[\\\n<>&]|^\s*(?:[-+]|\d+[.)])\s")
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_URL_SAFE = "/:?#=&%+@!$,;*"  # with letters, digits and "_.-~", which quote() never changes
_CLEANER = nh3.Cleaner(tags=set(TAGS), attributes={"a": {"href"}}, url_schemes=set(SCHEMES),
                       url_relative="deny", link_rel="nofollow noopener noreferrer ugc", strip_comments=True)
_PLAIN = nh3.Cleaner(tags=set(), attributes={})


def text(value) -> Markup:
    """A value as inert text in Markdown or HTML: one line, no syntax."""
    if isinstance(value, Markup):
        return value
    line = " ".join(str(value).translate(_CONTROL).split())
    return Markup(_LINE_START.sub(lambda m: f"{m[0][:-1]}&#{ord(m[0][-1])};", line.translate(_INERT)))


def meta(value):
    """A value for front matter (text, or lists and mappings of it): each text one line and
    HTML-escaped, since the theme prints front matter into `<head>` as is."""
    if isinstance(value, dict):
        return {k: meta(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [meta(v) for v in value]
    if isinstance(value, (int, float, Markup)):  # a Markup value is escaped already
        return value
    return Markup(html.escape(" ".join(str(value).translate(_CONTROL).split()), quote=True))


def _restricted() -> markdown.Markdown:
    """Python-Markdown with only what record text uses: no raw HTML, headings, quotes, code
    blocks, images, reference links, autolinks or entities."""
    md = markdown.Markdown()
    md.preprocessors.deregister("html_block")
    for name in ("indent", "code", "hashheader", "setextheader", "hr", "quote", "reference"):
        md.parser.blockprocessors.deregister(name)
    for name in ("reference", "image_link", "image_reference", "short_reference", "short_image_ref",
                 "autolink", "automail", "html", "entity"):
        md.inlinePatterns.deregister(name)
    return md


_MD = _restricted()


@lru_cache(maxsize=1 << 16)
def prose(value: str) -> Markup:
    """A text field as sanitised HTML: block elements from `TAGS`, links only to http(s)."""
    value = str(value).translate(_PROSE_CONTROL)
    if _MARKDOWN.search(value):
        rendered = _MD.reset().convert(value)
    else:  # plain text, by far the most common: no parser needed
        rendered = f"<p>{html.escape(value.strip())}</p>"
    return Markup(_CLEANER.clean(rendered))


@lru_cache(maxsize=1 << 16)
def plain(value: str) -> str:
    """A text field's words without markup, on one line."""
    return " ".join(html.unescape(_PLAIN.clean(prose(value))).split())


def first_sentence(value: str, limit: int = 120) -> str:
    """The first sentence of a text field, as plain text."""
    words = plain(value)
    end = words.find("。")
    return words[: end + 1] if 0 <= end < limit else words[:limit] + ("…" if len(words) > limit else "")


def slug(value) -> Markup:
    """A validated id for an anchor or a path; anything else is dropped."""
    return Markup(value) if isinstance(value, str) and _SLUG.fullmatch(value) else Markup("")


def link_target(url: str) -> Markup:
    """An http(s) URL as a Markdown link destination: characters Markdown reads are percent-encoded;
    anything else becomes a link to nowhere."""
    url = str(url)
    if url.split(":", 1)[0].lower() not in SCHEMES:
        return Markup("#")
    return Markup(quote(url, safe=_URL_SAFE))
