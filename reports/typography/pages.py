"""Lines of a page as Chromium laid them out (Playwright), and a walk through a role's main pages.

In the page, every visible text node is cut into grapheme clusters (Intl.Segmenter), and a Range over
each cluster tells where it was drawn: a cluster lower than the line so far starts a new line. The
clusters of one container (the nearest ancestor that is not inline: a paragraph, a table cell, a
badge) make its lines; a <br> or a block inside the container is a forced break. Each container says
whether it is a heading (h1–h6, th, label, legend, .card-title) for the heading rule.
"""

import re
from collections.abc import Callable
from urllib.parse import urljoin, urlsplit

from .lines import Line, Reading

WIDTHS = (390, 1366)
HEIGHT = 900

LINES_SCRIPT = r"""
async () => {
  await document.fonts.ready;
  const HEADING = 'h1,h2,h3,h4,h5,h6,th,label,legend,.card-title';
  const SKIP = new Set(['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE', 'TEXTAREA', 'SELECT', 'OPTION',
                        'SVG', 'svg', 'IFRAME', 'CANVAS', 'HEAD']);
  const graphemes = new Intl.Segmenter('th', {granularity: 'grapheme'});
  const isInline = (el) => {
    const display = getComputedStyle(el).display;
    return display === 'inline' || display === 'contents';
  };
  const containers = new Map();
  const entry = (el) => {
    let found = containers.get(el);
    if (!found) { found = {el, order: containers.size, items: []}; containers.set(el, found); }
    return found;
  };
  const containerOf = (node) => {
    let el = node.parentElement;
    while (el && el !== document.body && isInline(el)) el = el.parentElement;
    return el || document.body;
  };
  const range = document.createRange();
  const text = (node) => {
    const parent = node.parentElement;
    if (!parent || getComputedStyle(parent).visibility === 'hidden') return;
    const items = entry(containerOf(node)).items;
    for (const {segment, index} of graphemes.segment(node.data)) {
      range.setStart(node, index);
      range.setEnd(node, index + segment.length);
      const rects = range.getClientRects();
      if (!rects.length) continue;  // collapsed white space
      const r = rects[0];
      if (!/\s/.test(segment) && r.width === 0 && r.height === 0) continue;
      items.push({t: /\s/.test(segment) ? ' ' : segment, top: r.top + scrollY, bottom: r.bottom + scrollY,
                  left: r.left, right: r.right});
    }
  };
  const walk = (node) => {
    for (const child of node.childNodes) {
      if (child.nodeType === Node.TEXT_NODE) { text(child); continue; }
      if (child.nodeType !== Node.ELEMENT_NODE || SKIP.has(child.tagName)) continue;
      if (getComputedStyle(child).display === 'none') continue;
      if (child.tagName === 'BR') { entry(containerOf(child)).items.push({hard: true}); continue; }
      if (isInline(child)) { walk(child); continue; }
      const outer = entry(containerOf(child)).items;
      outer.push({hard: true});
      walk(child);
      outer.push({hard: true});
    }
  };
  walk(document.body);
  const describe = (el) => {
    const id = el.id ? '#' + el.id : '';
    const cls = [...el.classList].slice(0, 2).map((c) => '.' + c).join('');
    return el.tagName.toLowerCase() + id + cls;
  };
  const out = [];
  for (const {el, items} of [...containers.values()].sort((a, b) => a.order - b.order)) {
    const box = el.getBoundingClientRect();
    if (box.width < 4 || box.height < 4) continue;  // visually hidden (a 1px clip box)
    const head = el.closest(HEADING);
    const heading = head ? (head.matches('.card-title') ? 'card-title' : head.tagName.toLowerCase()) : '';
    const lines = [];
    let line = null, hard = true;
    for (const item of items) {
      if (item.hard) { if (line) lines.push(line); line = null; hard = true; continue; }
      const middle = (item.top + item.bottom) / 2;
      if (line && (middle > line.bottom || middle < line.top)) { lines.push(line); line = null; }
      if (!line) {
        if (item.t === ' ') continue;
        line = {text: '', top: item.top, bottom: item.bottom, hard};
        hard = false;
      }
      line.text += item.t;
      line.top = Math.min(line.top, item.top);
      line.bottom = Math.max(line.bottom, item.bottom);
    }
    if (line) lines.push(line);
    const kept = lines.filter((l) => l.text.trim());
    if (kept.length) out.push({where: describe(el), heading, table: !!el.closest('td,th'), lines: kept});
  }
  return out;
}
"""


def read_page(page, source: str) -> Reading:
    """The lines of the page loaded in a Playwright `page`, as laid out at its current viewport."""
    reading = Reading(source)
    number = 0
    for index, container in enumerate(page.evaluate(LINES_SCRIPT)):
        for line in container["lines"]:
            number += 1
            reading.lines.append(Line(
                text=re.sub(r"\s+", " ", line["text"]),
                source=source, page=None, number=number, y=round(line["top"], 1),
                block=f"{index}:{container['where']}", hard_break=line["hard"],
                heading=container["heading"], in_table=container["table"]))
    return reading


def read_widths(page, name: str, widths=WIDTHS) -> list[Reading]:
    """The page at each width (the viewport changes, the page is not reloaded), then back at the first."""
    readings = []
    for width in widths:
        page.set_viewport_size({"width": width, "height": HEIGHT})
        readings.append(read_page(page, f"{name} @{width}"))
    page.set_viewport_size({"width": widths[0], "height": HEIGHT})
    return readings


# URL names whose GET answers a file, or leaves: never walked.
SKIPPED_NAME_PARTS = ("pdf", "download", "export", "xlsx", "csv", "file", "evidence", "template", "logout",
                      "qr")


def links(page) -> list[str]:
    return page.evaluate("() => [...document.querySelectorAll('a[href]')].map((a) => a.getAttribute('href'))")


def walk(page, start: str, url_name: Callable[[str], str | None], limit: int = 40,
         skipped: list | None = None):
    """The role's main pages: from `start`, every page its links reach, one per URL name (two pages of one
    kind differ in their data, not their layout), at most `limit`. Yields each address while the browser
    shows it; what could not be read goes to `skipped`."""
    from playwright.sync_api import Error as PlaywrightError

    skipped = [] if skipped is None else skipped
    queue, seen_names, visited = [start], set(), 0
    while queue and visited < limit:
        url = queue.pop(0)
        name = url_name(urlsplit(url).path)
        if name is None or name in seen_names or any(part in name for part in SKIPPED_NAME_PARTS):
            continue
        seen_names.add(name)
        try:
            response = page.goto(url, wait_until="domcontentloaded", timeout=30_000)
        except PlaywrightError as error:  # a download, or a page that never answers: reported, not read
            skipped.append(f"{url}: {str(error).splitlines()[0]}")
            continue
        if response is None or response.status != 200 or \
                not response.headers.get("content-type", "").startswith("text/html"):
            continue
        try:
            page.wait_for_load_state("load", timeout=10_000)
        except PlaywrightError:
            skipped.append(f"{url}: read before its load event (a resource did not finish)")
        visited += 1
        yield url
        for href in links(page):
            parts = urlsplit(urljoin(page.url, href))
            if parts.netloc and parts.netloc != urlsplit(page.url).netloc:
                continue
            path = parts.path + (f"?{parts.query}" if parts.query else "")
            if path.startswith(("/static/", "/media/", "/admin/")) or \
                    parts.scheme not in ("http", "https", ""):
                continue
            queue.append(path)
