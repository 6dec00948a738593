"""The page's own CSS and the one script it runs (ours, not from any document).

The script does four small things, all on elements our own templates wrote:
- a `[n]` marker opens the source card it points at (`href="#src-t<turn>-<n>"`), looked up inside the
  same answer (Gradio's sanitizer keeps ids and classes but strips data-* attributes, so the link's
  own href is what names the card);
- a message's copy button copies plain text: an answer's hidden `.rag-plain` (the answer with its
  `[n]` markers, then the numbered sources; see `ui.plain`), a question as the text it shows.
  Gradio's own button would copy the message value, i.e. our HTML (`China&#x27;s`);
- Alt+L (Option+L on a Mac) moves the focus to the latest answer, so Tab then reaches its `[n]`
  links and source cards (they come before the question box in the page, so from the box only
  Shift+Tab reached them);
- the upload drop zone's aria-label is its visible text (axe: label-content-name-mismatch);
- a message's aria-label (Gradio sets it to the message value: our HTML, `China&#x27;s`) is replaced
  by the text the message shows, so a screen reader does not read markup or entities.
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
.rag-answer:focus { outline: 2px solid var(--color-accent); outline-offset: 2px; }
#rag-chat button.rag-copied { outline: 2px solid var(--color-accent); }
/* Gradio's stop-variant red (#ef4444) under white text is 3.76:1; this red is 6.5:1 in both modes. */
.gradio-container button.stop { background: #b91c1c; border-color: #b91c1c; color: #fff; }
.gradio-container button.stop:hover { background: #991b1b; }
#rag-upload .or { color: #52525b; }
.dark #rag-upload .or { color: #a1a1aa; }
.rag-h1 { font-size: 1.35em; margin: 4px 0; }
.rag-h2 { font-size: 1.05em; font-weight: 600; margin: 2px 0; }
.rag-examples-label { font-size: 0.85em; opacity: 0.8; }
.rag-hint { font-size: 0.8em; opacity: 0.8; }
.dark details.rag-source mark { background: #92400e; color: #fff; }
.dark .rag-refusal { color: #fcd34d; }
.dark .rag-error .rag-text, .dark .rag-notice-error { color: #fca5a5; }
@media (max-width: 640px) { .rag-answer:focus { outline: 2px solid var(--color-accent); outline-offset: 2px; }
#rag-chat button.rag-copied { outline: 2px solid var(--color-accent); }
/* Gradio's stop-variant red (#ef4444) under white text is 3.76:1; this red is 6.5:1 in both modes. */
.gradio-container button.stop { background: #b91c1c; border-color: #b91c1c; color: #fff; }
.gradio-container button.stop:hover { background: #991b1b; }
#rag-upload .or { color: #52525b; }
.dark #rag-upload .or { color: #a1a1aa; }
.rag-h1 { font-size: 1.05em; } .rag-hint { display: none; } }
"""

HEAD = r"""
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

function ragMessageRow(button) {
  var el = button.closest(".message-buttons") || button;
  for (var up = 0; el && up < 4; up++, el = el.parentElement) {
    for (var sib = el.previousElementSibling; sib; sib = sib.previousElementSibling) {
      if (sib.classList.contains("message-row")) return sib;
      if (sib.querySelector && sib.querySelector(".message-row")) {
        var rows = sib.querySelectorAll(".message-row");
        return rows[rows.length - 1];
      }
    }
  }
  return null;
}

function ragCopy(text) {
  if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
  var area = document.createElement("textarea");  // plain http beyond localhost: no clipboard API
  area.value = text;
  area.setAttribute("readonly", "");
  area.style.position = "fixed";
  area.style.opacity = "0";
  document.body.appendChild(area);
  area.select();
  document.execCommand("copy");
  document.body.removeChild(area);
  return Promise.resolve();
}

document.addEventListener("click", function (ev) {
  var button = ev.target && ev.target.closest ? ev.target.closest('#rag-chat button[aria-label="Copy message"]') : null;
  if (!button) return;
  var row = ragMessageRow(button);
  if (!row) return;
  ev.preventDefault();
  ev.stopPropagation();
  var plain = row.querySelector(".rag-plain");
  var shown = row.querySelector(".message-content") || row;
  ragCopy(plain ? plain.textContent : shown.innerText.trim()).then(function () {
    button.classList.add("rag-copied");
    setTimeout(function () { button.classList.remove("rag-copied"); }, 1200);
  });
}, true);

document.addEventListener("keydown", function (ev) {
  if (!ev.altKey || ev.ctrlKey || ev.metaKey || ev.code !== "KeyL") return;
  var answers = document.querySelectorAll("#rag-chat .rag-answer");
  if (!answers.length) return;
  ev.preventDefault();
  var latest = answers[answers.length - 1];
  latest.setAttribute("tabindex", "-1");
  latest.focus();
  latest.scrollIntoView({block: "nearest"});
});

function ragLabels() {
  document.querySelectorAll('#rag-chat [data-testid="bot"], #rag-chat [data-testid="user"]').forEach(function (msg) {
    var label = msg.getAttribute("aria-label") || "";
    if (label.indexOf("answer: ") === 0 || label.indexOf("question: ") === 0) return;
    var bot = msg.getAttribute("data-testid") === "bot";
    var text = bot ? msg.querySelector(".rag-answer .rag-text") : msg.querySelector(".message-content");
    var words = (text ? text.textContent : msg.textContent).trim().slice(0, 300);
    if (!words) return;  // not rendered yet: the next mutation comes back here
    msg.setAttribute("aria-label", (bot ? "answer: " : "question: ") + words);
  });
}
function ragUploadLabel() {
  // Gradio names the drop zone "Click to upload or drop files" while it shows "Drop File Here - or -
  // Click to Upload": a speech-input user saying the visible words would not find it.
  document.querySelectorAll("#rag-upload button.upload-container[aria-label]").forEach(function (zone) {
    var shown = zone.textContent.replace(/\s+/g, " ").trim();
    if (shown && zone.getAttribute("aria-label") !== shown) zone.setAttribute("aria-label", shown);
  });
}
new MutationObserver(function () { ragLabels(); ragUploadLabel(); }).observe(document.documentElement,
  {subtree: true, childList: true, attributes: true, attributeFilter: ["aria-label"]});
</script>
"""
