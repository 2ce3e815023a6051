"""A Content-Security-Policy for every built page, as a second wall behind the sanitiser.

Scripts run only from the site's own files and from the theme's inline scripts, allowed by their
SHA-256 hash; inline event handlers and `javascript:` URLs never run. Scripts inside the page's
content (where record text lands) are never hashed, so nothing there can run either."""

from __future__ import annotations

import base64
import hashlib
import re

_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script>", re.S | re.I)
_CONTENT = re.compile(r"<article\b.*?</article>", re.S | re.I)
_CHARSET = re.compile(r"<meta charset=[^>]*>", re.I)
POLICY = (
    "default-src 'self'",
    "script-src 'self' 'wasm-unsafe-eval' {hashes}",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "worker-src 'self' blob:",
    "object-src 'none'",
    "frame-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
)


def policy(page: str) -> str:
    """The policy for one page: its inline scripts outside the content, by hash."""
    outside = _CONTENT.sub("", page)
    hashes = sorted({_hash(body) for attrs, body in _SCRIPT.findall(outside)
                     if "src=" not in attrs.lower() and body.strip()})
    return "; ".join(POLICY).format(hashes=" ".join(hashes)).replace("  ", " ")


def protect(page: str) -> str:
    """The page with its policy as the first thing in `<head>` after the character set."""
    meta = f'<meta http-equiv="Content-Security-Policy" content="{policy(page)}">'
    found = _CHARSET.search(page)
    if found:
        return page[: found.end()] + "\n" + meta + page[found.end():]
    return page.replace("<head>", "<head>\n" + meta, 1)


def _hash(script: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode() + "'"
