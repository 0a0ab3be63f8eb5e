/* Search excerpts that read as text: the sentence that holds the term.
   Sphinx's searchtools.js shows 240 characters around the term's first
   place in the page's text, whatever they are: sphinx-gallery's "Go to the
   end to download..." note, a diff or code. This replaces its
   Search.makeSearchSummary: the excerpt is the first sentence of prose
   (a paragraph, list item, table cell, caption or title; never code, output,
   a diff or the gallery's notes and downloads) that holds a term, cut to
   SPAN characters around it; a term found only in code gets its line of
   code. A sentence of a paragraph or list item that holds a word as the
   reader typed it comes first, then one that holds its stem (Sphinx finds
   pages by stems: "optim" for "optimizer"), then titles and table cells.
   Loaded after searchtools.js (_templates/search.html, when
   sphinxext/reader/html_hygiene.py names it). */
(() => {
  "use strict";
  if (typeof Search === "undefined") return;
  const SPAN = 240;
  const NOT_PROSE = [
    ".headerlink", "script", "style", "pre", "div[class^='highlight']",
    ".sphx-glr-download-link-note", ".sphx-glr-footer", ".sphx-glr-timing",
    ".example-provenance", ".example-diff", "details.example-diff-toggle",
    ".sphx-glr-script-out", ".sphx-glr-signature",
  ].join(", ");
  const PROSE = "p, li, dt, dd, th, td, caption, figcaption, h1, h2, h3, h4, h5, h6";
  // A sentence ends at . ! ? followed by a space, or at Chinese 。！？；
  const SENTENCES = /[^。！？；]+?(?:[.!?](?=\s)|[。！？；]|$)/gu;

  const root = (htmlText, anchor) => {
    const page = new DOMParser().parseFromString(htmlText, "text/html");
    const main = page.querySelector('[role="main"]');
    if (!main) return null;
    return (anchor && main.querySelector(anchor)) || main;
  };
  const squash = (text) => text.replace(/\s+/g, " ").trim();
  const firstHit = (text, keywords) => {
    const lower = text.toLowerCase();
    const found = keywords.map((k) => lower.indexOf(k)).filter((i) => i > -1);
    return found.length ? Math.min(...found) : -1;
  };
  const around = (text, at) => {
    if (text.length <= SPAN) return text;
    const start = Math.max(0, Math.min(at - SPAN / 3, text.length - SPAN));
    return (start > 0 ? "..." : "") + text.substr(start, SPAN).trim()
      + (start + SPAN < text.length ? "..." : "");
  };

  // The words as the reader typed them (the stems are what Sphinx matched).
  const typed = () => (new URLSearchParams(window.location.search).get("q") || "")
    .toLowerCase().split(/\s+/).filter(Boolean);

  const fromProse = (element, keywords) => {
    const prose = element.cloneNode(true);
    prose.querySelectorAll(NOT_PROSE).forEach((e) => e.remove());
    // Innermost blocks only, so that a list item's paragraph counts once.
    const blocks = [...prose.querySelectorAll(PROSE)].filter((b) => !b.querySelector(PROSE));
    const sentences = blocks.flatMap((block) => {
      const text = squash(block.textContent);
      const running = /^(P|LI|DD)$/.test(block.tagName);
      return (text.match(SENTENCES) || [text]).map((s) => [s.trim(), running]);
    });
    const words = typed();
    const choices = [
      ([s, running]) => running && firstHit(s, words) > -1,
      ([s, running]) => running && firstHit(s, keywords) > -1,
      ([s]) => firstHit(s, words) > -1,
      ([s]) => firstHit(s, keywords) > -1,
    ];
    for (const choice of choices) {
      const found = sentences.find(choice);
      if (found) {
        const at = firstHit(found[0], words);
        return around(found[0], at > -1 ? at : firstHit(found[0], keywords));
      }
    }
    return null;
  };

  const fromCode = (element, keywords) => {
    for (const block of element.querySelectorAll("pre")) {
      const line = block.textContent.split("\n").find((l) => firstHit(l, keywords) > -1);
      if (line) return around(line.trim(), firstHit(line.trim(), keywords));
    }
    return null;
  };

  const original = Search.makeSearchSummary;
  Search.makeSearchSummary = (htmlText, keywords, anchor) => {
    const element = root(htmlText, anchor);
    const terms = [...keywords].map((k) => k.toLowerCase()).filter(Boolean);
    const text = element && (fromProse(element, terms) || fromCode(element, terms));
    if (!text) return original(htmlText, keywords, anchor);
    const summary = document.createElement("p");
    summary.classList.add("context");
    summary.textContent = text;
    return summary;
  };
})();
