"""Text checks: safe (no HTML, even entity-encoded; no images; links only to http(s) addresses;
no control characters) and finished (no placeholder left by `aitimeline new`)."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

_TAG = re.compile(r"<\s*/?\s*[a-zA-Z!?]")
_LINK = re.compile(r"\]\(\s*<?([^)>\s]*)|^\s*\[[^\]]+\]:\s*<?(\S+)", re.M)
_SAFE_SCHEMES = ("http:", "https:")
# Invisible and invalid characters: C0 and C1 controls but tab and newline, line separators,
# surrogates and non-characters (none of them may stand in XML, most confuse a reader or a diff).
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]")
PLACEHOLDER = {"zh": "待填写", "en": "To fill in"}


def unsafe(text: str) -> Iterator[tuple[str, str]]:
    """(rule, message) for each way the text could put markup, a bad link or an invisible character
    on a page."""
    control = _CONTROL.search(text)
    if control:
        yield "control-character", f"invisible character U+{ord(control[0]):04X} is not allowed in text"
    plain = html.unescape(html.unescape(text)) if "&" in text else text
    if "<" in plain and _TAG.search(plain):
        yield "raw-html", "HTML is not allowed in text; write Markdown, and links as [text](https://…)"
    if "[" not in plain:
        return
    if "![" in plain:
        yield "unsafe-link", "images are not allowed in text"
    for match in _LINK.finditer(plain):
        target = re.sub(r"[\s\x00-\x1f]", "", match.group(1) or match.group(2) or "").lower()
        if not target.startswith(_SAFE_SCHEMES):
            yield "unsafe-link", f"links must go to https:// or http:// addresses, not '{target[:40]}'"


def unfinished(text: str) -> Iterator[tuple[str, str]]:
    """(rule, message) if the text still holds a placeholder that `aitimeline new` wrote."""
    for word in PLACEHOLDER.values():
        if word in text:
            yield "placeholder", f"'{word}' is a placeholder: write the fact in its place"
