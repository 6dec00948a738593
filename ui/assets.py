"""The page's own CSS and the one script it runs (ours, not from any document).

The script only opens the source card a `[n]` marker points at (`href="#src-t<turn>-<n>"`), looked up
inside the same answer. Gradio's sanitizer keeps ids and classes but strips data-* attributes, so
the link's own href is what names the card.
"""

CSS = """
.rag-banner { font-size: 0.92em; padding: 6px 10px; border-radius: 6px;
  background: var(--block-background-fill); border: 1px solid var(--border-color-primary); }
.rag-answer .rag-text { line-height: 1.55; }
.rag-answer a.rag-cite { text-decoration: none; font-weight: 600; padding: 0 1px; cursor: pointer; }
.rag-rewritten { font-size: 0.88em; opacity: 0.8; margin-bottom: 4px; }
.rag-refusal { font-weight: 600; color: #b45309; margin-bottom: 4px; }
.rag-refused .rag-text { font-style: italic; }
.rag-error .rag-text { color: #b91c1c; }
.rag-note { font-size: 0.88em; opacity: 0.85; margin-top: 4px; }
.rag-sources { margin-top: 8px; }
.rag-sources-label { font-size: 0.8em; text-transform: uppercase; letter-spacing: 0.05em; opacity: 0.7; }
details.rag-source { border: 1px solid var(--border-color-primary); border-radius: 6px; padding: 4px 8px;
  margin: 4px 0; }
details.rag-source summary { cursor: pointer; }
details.rag-source .rag-meta { opacity: 0.75; font-size: 0.9em; }
details.rag-source .rag-passage { margin: 6px 0; white-space: normal; }
details.rag-source mark { background: #fde68a; color: inherit; padding: 0 1px; }
details.rag-source .rag-where { font-size: 0.8em; opacity: 0.7; }
details.rag-source.rag-flash { outline: 2px solid #f59e0b; }
.rag-footer { display: flex; gap: 12px; font-size: 0.8em; opacity: 0.75; margin-top: 6px; }
.rag-footer details summary { cursor: pointer; }
.rag-notice { font-size: 0.9em; }
.rag-notice-error { font-size: 0.9em; color: #b91c1c; }
table.rag-docs { font-size: 0.85em; width: 100%; }
table.rag-docs td { word-break: break-word; }
.rag-h1 { font-size: 1.35em; margin: 4px 0; }
.rag-h2 { font-size: 1.05em; font-weight: 600; margin: 2px 0; }
.rag-examples-label { font-size: 0.85em; opacity: 0.8; }
.rag-hint { font-size: 0.8em; opacity: 0.8; }
.dark details.rag-source mark { background: #92400e; color: #fff; }
.dark .rag-refusal { color: #fcd34d; }
.dark .rag-error .rag-text, .dark .rag-notice-error { color: #fca5a5; }
@media (max-width: 640px) { .rag-h1 { font-size: 1.05em; } .rag-hint { display: none; } }
"""

HEAD = """
<script>
document.addEventListener("click", function (ev) {
  var a = ev.target && ev.target.closest ? ev.target.closest("a.rag-cite") : null;
  if (!a) return;
  ev.preventDefault();
  ev.stopPropagation();
  var answer = a.closest(".rag-answer");
  var id = (a.getAttribute("href") || "").replace(/^#/, "");
  var card = answer && /^src-t[0-9]+-[0-9]+$/.test(id) ? answer.querySelector('details[id="' + id + '"]') : null;
  if (!card) return;
  card.open = true;
  card.scrollIntoView({block: "nearest"});
  card.classList.add("rag-flash");
  setTimeout(function () { card.classList.remove("rag-flash"); }, 1500);
}, true);
</script>
"""
