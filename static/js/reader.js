// The reading page's one script: turn a selection into a passage and open the note form.
// Everything else (marks, notes, counts) is rendered by the server; without this file the
// page still reads, and every paragraph keeps its "note on this paragraph" link.
//
// Offsets sent to the server count Unicode code points into each paragraph's text (its
// .block-text element's textContent). The DOM counts UTF-16 units, so an emoji is 2 here
// and 1 there: every offset is converted before it leaves the browser.

const reading = document.querySelector(".reading");
const toolbar = document.getElementById("selection-toolbar");
const dialog = document.getElementById("note-dialog");
const toast = document.getElementById("toast");
const SEPARATOR = "\n\n";
const WIDE = window.matchMedia("(min-width: 72rem)");

const codePoints = (text) => Array.from(text);
const blockTexts = () => [...reading.querySelectorAll("#article-body .block-text")];

function offsetWithin(block, container, offset) {
  const range = document.createRange();
  range.setStart(block, 0);
  range.setEnd(container, offset);
  return codePoints(range.toString()).length;
}

// The passage the reader has selected, as the server describes passages, or null.
function selectedPassage() {
  const selection = window.getSelection();
  if (!selection || selection.isCollapsed || selection.rangeCount === 0) return null;
  const range = selection.getRangeAt(0);
  const blocks = [...reading.querySelectorAll("#article-body .block-text")].filter((b) => range.intersectsNode(b));
  if (blocks.length === 0) return null;
  const first = blocks[0];
  const last = blocks[blocks.length - 1];
  const start = first.contains(range.startContainer) ? offsetWithin(first, range.startContainer, range.startOffset) : 0;
  const lastText = codePoints(last.textContent);
  const end = last.contains(range.endContainer) ? offsetWithin(last, range.endContainer, range.endOffset) : lastText.length;
  const exact = blocks
    .map((block, i) => {
      const chars = block === last ? lastText : codePoints(block.textContent);
      return chars.slice(i === 0 ? start : 0, block === last ? end : chars.length).join("");
    })
    .join(SEPARATOR);
  if (!exact.trim()) return null;
  return { start_key: first.dataset.key, start_offset: start, end_key: last.dataset.key, end_offset: end, exact, rect: range.getBoundingClientRect() };
}

// Toolbar --------------------------------------------------------------------------------

let passage = null;

function showToolbar() {
  passage = selectedPassage();
  if (!passage) {
    if (!toolbar.contains(document.activeElement)) toolbar.hidden = true;
    return;
  }
  const signIn = toolbar.querySelector("[data-action=sign-in]");
  if (signIn) {
    const next = `${reading.dataset.articleUrl}#${passage.start_key}`;
    signIn.href = `${reading.dataset.loginUrl}?next=${encodeURIComponent(next)}`;
  }
  toolbar.hidden = false;
  const top = window.scrollY + passage.rect.bottom + 8;
  const left = Math.max(8, Math.min(window.scrollX + passage.rect.left, window.scrollX + document.documentElement.clientWidth - toolbar.offsetWidth - 8));
  toolbar.style.top = `${top}px`;
  toolbar.style.left = `${left}px`;
}

let pending = null;
document.addEventListener("selectionchange", () => {
  clearTimeout(pending);
  pending = setTimeout(showToolbar, 120);
});

function formValues(form) {
  return Object.fromEntries(new FormData(form).entries());
}

// One highlight per press: while one is being saved, the button is disabled and H does nothing.
// The words are marked at once (a pending mark); the server's answer swaps in the paragraph with
// its real marks, or, when it refuses, the pending mark goes and the toast says why.
let highlighting = false;

function highlight() {
  if (!passage || highlighting) return;
  const { rect, ...fields } = passage;
  const csrf = dialog.querySelector("[name=csrfmiddlewaretoken]").value;
  const button = toolbar.querySelector("[data-action=highlight]");
  const selection = window.getSelection();
  const pendingMarks = selection.rangeCount ? markPending(selection.getRangeAt(0)) : [];
  highlighting = button.disabled = true;
  htmx
    .ajax("POST", reading.dataset.createUrl, {
      target: "#article-body",
      swap: "outerHTML",
      values: { ...fields, visibility: "private", csrfmiddlewaretoken: csrf },
    })
    .finally(() => {
      highlighting = button.disabled = false;
      unmark(pendingMarks.filter((mark) => mark.isConnected)); // still there: the paragraph was not redrawn
    });
  selection.removeAllRanges();
  toolbar.hidden = true;
}

// Wrap the text of `range` inside the paragraphs in <mark class="pending">, one per text node.
function markPending(range) {
  const marks = [];
  for (const block of blockTexts().filter((b) => range.intersectsNode(b))) {
    const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
    const nodes = [];
    while (walker.nextNode()) if (range.intersectsNode(walker.currentNode)) nodes.push(walker.currentNode);
    for (let node of nodes) {
      const start = node === range.startContainer ? range.startOffset : 0;
      const end = node === range.endContainer ? range.endOffset : node.length;
      if (end <= start || !node.data.slice(start, end).trim()) continue;
      if (end < node.length) node.splitText(end);
      if (start > 0) node = node.splitText(start);
      const mark = document.createElement("mark");
      mark.className = "pending";
      node.replaceWith(mark);
      mark.append(node);
      marks.push(mark);
    }
  }
  return marks;
}

function unmark(marks) {
  for (const mark of marks) {
    const parent = mark.parentNode;
    mark.replaceWith(...mark.childNodes);
    parent.normalize();
  }
}

function openNoteForm() {
  if (!passage) return;
  const form = dialog.querySelector("form");
  for (const name of ["start_key", "start_offset", "end_key", "end_offset", "exact"]) {
    form.elements[name].value = passage[name];
  }
  dialog.querySelector("#note-dialog-quote").textContent = passage.exact;
  toolbar.hidden = true;
  dialog.showModal();
  form.elements.comment.focus();
}

toolbar.addEventListener("mousedown", (event) => event.preventDefault()); // keep the selection
toolbar.addEventListener("click", (event) => {
  const action = event.target.closest("[data-action]")?.dataset.action;
  if (action === "highlight") highlight();
  if (action === "note") openNoteForm();
  if (action === "attach") attachHere();
});

document.addEventListener("keydown", (event) => {
  if (event.target.closest("input, textarea, select, [contenteditable], dialog")) return;
  if (event.ctrlKey || event.metaKey || event.altKey) return;
  if (event.key === "Escape") {
    toolbar.hidden = true;
    stopReattach();
    return;
  }
  if (toolbar.hidden || !passage) return;
  const key = event.key.toLowerCase();
  if (reattaching) {
    if (key !== "a") return;
    attachHere();
  } else if (key === "h" && dialog) highlight();
  else if (key === "n" && dialog) openNoteForm();
  else if (key === "t") toolbar.querySelector("button, a")?.focus();
  else return;
  event.preventDefault();
});

// The note dialog ----------------------------------------------------------------------------

if (dialog) {
  dialog.querySelector("[data-action=close-dialog]").addEventListener("click", () => dialog.close());
  document.body.addEventListener("noteSaved", (event) => {
    if (dialog.open) dialog.close();
    const form = dialog.querySelector("form");
    form.reset();
    form.querySelector(".preview").innerHTML = "";
    const mark = document.querySelector(`mark[data-annotations~="${event.detail.id}"]`);
    flash(mark || document.getElementById(`note-${event.detail.id}`));
  });
}

// Between marks and notes ---------------------------------------------------------------------

function flash(element) {
  if (!element) return;
  element.classList.remove("flash");
  void element.offsetWidth; // restart the animation
  element.classList.add("flash");
}

// The margin ------------------------------------------------------------------------------
// On a wide screen each paragraph's notes sit beside it (the stylesheet takes them out of the
// text's flow, so notes never push the text apart), level with the line of their highlight and
// stacked without overlap. Where a paragraph's cards would run into the next paragraph's, they
// fold to their count; one click opens them, and the cards below move down to make room. What
// the reader opens or folds stays so. On a phone, notes stay folded under their paragraph.

const GAP = 10;
let layoutFrame = 0;

function relayOut() {
  cancelAnimationFrame(layoutFrame);
  layoutFrame = requestAnimationFrame(layOutMargin);
}

function markTop(block, id, base) {
  const mark = block.querySelector(`.block-text mark[data-annotations~="${id}"]`);
  return mark ? mark.getBoundingClientRect().top - base : null;
}

function alignCards(group, block, base) {
  for (const thread of group.querySelectorAll(".notes-list > .thread")) {
    const want = markTop(block, thread.id.replace("thread-", ""), base);
    const at = thread.querySelector(".note").getBoundingClientRect().top - base;
    if (want !== null && want > at) thread.style.marginTop = `${want - at}px`;
  }
}

function moreButton(group) {
  let button = group.querySelector(".notes-more-button");
  if (!button) {
    button = document.createElement("button");
    button.type = "button";
    button.className = "link-button notes-more-button";
    group.querySelector(".notes-list").append(button);
  }
  return button;
}

function unfold(group) {
  group.querySelector(".notes-more-button")?.remove();
  for (const thread of group.querySelectorAll(".notes-list > .thread[hidden]")) thread.hidden = false;
}

function layOutMargin() {
  const body = document.getElementById("article-body");
  if (!body) return;
  const groups = [...body.querySelectorAll(".block > .notes")];
  for (const thread of body.querySelectorAll(".block > .notes .thread")) thread.style.marginTop = "";
  for (const group of groups) {
    unfold(group);
    // A group the reader is working in (a reply or an edit open, the focus inside) stays open.
    const busy = group.contains(document.activeElement) || group.querySelector(".reply-slot:not(:empty), .note-editing");
    if (busy) group.querySelector(".notes-details").dataset.chosen = "open";
  }
  body.style.minHeight = "";
  if (!WIDE.matches) {
    for (const group of groups) {
      group.style.top = "";
      const details = group.querySelector(".notes-details");
      details.open = details.dataset.chosen === "open";
    }
    body.dataset.laidOut = "1";
    return;
  }
  const base = body.getBoundingClientRect().top;
  const natural = groups.map((group) => {
    const block = group.parentElement;
    const first = group.anchor?.isConnected ? group.anchor : block.querySelector(".block-text mark");
    return (first || block).getBoundingClientRect().top - base;
  });
  let floor = -Infinity;
  groups.forEach((group, i) => {
    const block = group.parentElement;
    const details = group.querySelector(".notes-details");
    const blockTop = block.getBoundingClientRect().top - base;
    const chosen = details.dataset.chosen;
    details.open = chosen ? chosen === "open" : !details.hasAttribute("data-lazy");
    const place = (top) => {
      group.style.top = `${top - blockTop}px`;
      return top;
    };
    // Open, the count heads the cards and the first card sits level with its line; folded, the count does.
    let top = place(Math.max(natural[i], floor + GAP));
    const firstCard = details.open && group.querySelector(".notes-list > .thread .note");
    if (firstCard) top = place(Math.max(natural[i] - (firstCard.getBoundingClientRect().top - base - top), floor + GAP));
    if (details.open) alignCards(group, block, base);
    const limit = i + 1 < groups.length ? natural[i + 1] - GAP : body.offsetHeight;
    if (!chosen && details.open && top + group.offsetHeight > limit) {
      // Keep the cards that fit; the rest fold to "N more". When none fits, the whole group folds to its count.
      const threads = [...group.querySelectorAll(".notes-list > .thread")];
      let shown = threads.length;
      while (shown > 0 && top + group.offsetHeight > limit) {
        threads[--shown].hidden = true;
        moreButton(group).textContent = `${threads.length - shown} more note${threads.length - shown === 1 ? "" : "s"}`;
      }
      if (shown === 0) {
        unfold(group);
        details.open = false;
        for (const thread of threads) thread.style.marginTop = "";
        top = place(Math.max(natural[i], floor + GAP));
      }
    }
    floor = top + group.offsetHeight;
  });
  // Cards the reader opened may run on past the text: the body grows to hold them, clear of the footer.
  if (floor > body.offsetHeight) body.style.minHeight = `${Math.ceil(floor + GAP)}px`;
  body.dataset.laidOut = "1";
}

// A click on a paragraph's count, or on its "N more", opens or folds its notes, and that choice stays.
reading.addEventListener("click", (event) => {
  const more = event.target.closest(".notes-more-button");
  if (more) {
    const details = more.closest(".notes-details");
    const first = details.querySelector(".notes-list > .thread[hidden]");
    details.dataset.chosen = "open";
    layOutMargin();
    first?.querySelector(".note").focus(); // the button has gone: the focus goes to the first card it showed
    return;
  }
  const summary = event.target.closest(".block > .notes .notes-details > summary");
  if (!summary) return;
  event.preventDefault(); // opened or folded here, and laid out in the same step: no frame of overlapping cards
  const details = summary.parentElement;
  details.dataset.chosen = details.open ? "closed" : "open";
  // A paragraph's own list and the notes on a word show the same cards: one at a time.
  if (!details.open && !details.closest(".notes-on-words")) {
    details.closest(".block").querySelector(":scope > .notes-on-words")?.remove();
    if (details.dataset.emptied) {
      delete details.dataset.emptied; // its cards were let go of for a word's: load them again
      htmx.ajax("GET", details.getAttribute("hx-get"), { target: details.querySelector(".notes-list"), swap: "innerHTML" });
    }
  }
  layOutMargin();
});
window.addEventListener("resize", relayOut);
document.fonts?.ready.then(relayOut);
window.addEventListener("load", relayOut);

// Under many notes the marks say how many notes cover their words, not which: a click asks for
// exactly those notes and shows them in the paragraph's margin (in place of the last words asked for).
function openNotesOnWords(mark) {
  const text = mark.closest(".block-text");
  const block = text.closest(".block");
  const query = new URLSearchParams(location.search);
  query.set("at", offsetWithin(text, mark, 0));
  const url = `${reading.dataset.articleUrl}notes/at/${text.dataset.key}/?${query}`;
  htmx.ajax("GET", url, { source: mark, target: block, swap: "beforeend" }).then(() => {
    const groups = block.querySelectorAll(":scope > .notes-on-words");
    for (const old of [...groups].slice(0, -1)) old.remove();
    // The paragraph's own list folds and lets go of its cards (opening it loads them again): no card twice.
    for (const own of block.querySelectorAll(":scope > .notes:not(.notes-on-words) .notes-details[open]")) {
      own.dataset.chosen = "closed";
      own.open = false;
      if (own.hasAttribute("data-lazy")) {
        own.querySelector(".notes-list").replaceChildren();
        own.dataset.emptied = "1";
      }
    }
    if (groups.length) groups[groups.length - 1].anchor = mark;
    relayOut();
    const card = groups[groups.length - 1]?.querySelector(".note");
    card?.scrollIntoView({ behavior: "smooth", block: "nearest" });
    card?.focus({ preventScroll: true });
  });
}

reading.addEventListener("click", (event) => {
  const counted = event.target.closest("mark[data-count]");
  if (counted && window.getSelection().isCollapsed) {
    openNotesOnWords(counted);
    return;
  }
  const mark = event.target.closest("mark[data-annotations]");
  if (mark && window.getSelection().isCollapsed) {
    const ids = mark.dataset.annotations.split(" ");
    const card = ids.map((id) => document.getElementById(`note-${id}`)).find(Boolean);
    if (!card) return;
    const details = card.closest("details");
    if (details && !details.open) {
      details.dataset.chosen = "open";
      details.open = true;
      layOutMargin();
    }
    card.scrollIntoView({ behavior: "smooth", block: "nearest" });
    card.focus({ preventScroll: true });
    flash(card);
    return;
  }
  const jump = event.target.closest("[data-jump]");
  if (jump) {
    const target = document.querySelector(`mark[data-annotations~="${jump.dataset.jump}"]`);
    if (!target) return;
    event.preventDefault();
    target.scrollIntoView({ behavior: "smooth", block: "center" });
    flash(target);
  }
});

// Errors come back as a message in the toast; it fades after a while. While the modal note
// dialog is open everything outside it is inert, so the toast moves into the dialog.
document.body.addEventListener("htmx:beforeSwap", (event) => {
  if (event.detail.target === toast && dialog?.open) dialog.append(toast);
});
dialog?.addEventListener("close", () => document.body.append(toast));
document.body.addEventListener("htmx:afterSwap", (event) => {
  if (event.detail.target === toast) {
    toast.classList.add("visible");
    clearTimeout(toast.timer);
    toast.timer = setTimeout(() => toast.classList.remove("visible"), 6000);
  } else {
    relayOut();
  }
});
toast.addEventListener("click", () => toast.classList.remove("visible"));

relayOut();
WIDE.addEventListener("change", relayOut);
if (location.hash) flash(document.getElementById(location.hash.slice(1)));

// A reply form opened under a note closes again on Cancel.
reading.addEventListener("click", (event) => {
  const cancel = event.target.closest("[data-action=cancel-reply]");
  if (cancel && cancel.closest(".reply-slot")) {
    event.preventDefault();
    cancel.closest(".reply-slot").replaceChildren();
    relayOut();
  }
});

// Re-attaching a note whose words the text lost ("Needs your attention") ----------------------
// "Select new words" puts the page in a mode of its own: a banner says what to do, and the
// selection toolbar offers "Attach here" instead of Highlight and Note. Escape leaves it.

let reattaching = null; // {id, url, banner, button}

function csrfToken() {
  return document.querySelector("[name=csrfmiddlewaretoken]")?.value ?? "";
}

function startReattach(link) {
  stopReattach();
  const banner = document.createElement("div");
  banner.className = "reattach-banner";
  banner.setAttribute("role", "status");
  const text = document.createElement("p");
  const title = document.createElement("strong");
  title.textContent = "Select the words this note is about";
  text.append(title, " then choose “Attach here”. Esc cancels.");
  const cancel = document.createElement("button");
  cancel.type = "button";
  cancel.className = "button small";
  cancel.textContent = "Cancel";
  cancel.addEventListener("click", stopReattach);
  banner.append(text, cancel);
  document.body.append(banner);
  const button = document.createElement("button");
  button.type = "button";
  button.dataset.action = "attach";
  button.title = "Attach the note to these words (A)";
  const kbd = document.createElement("kbd");
  kbd.textContent = "A";
  button.append("Attach here ", kbd);
  toolbar.prepend(button);
  reattaching = { id: link.dataset.note, url: link.dataset.url, banner, button };
  document.body.classList.add("reattaching");
  const block = document.getElementById(link.dataset.key);
  (block && block.classList.contains("block") ? block : document.getElementById("article-body")).scrollIntoView({ behavior: "smooth", block: "start" });
}

function stopReattach() {
  if (!reattaching) return;
  reattaching.banner.remove();
  reattaching.button.remove();
  reattaching = null;
  document.body.classList.remove("reattaching");
}

function attachHere() {
  if (!passage || !reattaching) return;
  const { rect, ...fields } = passage;
  htmx.ajax("POST", reattaching.url, {
    target: "#article-body",
    swap: "outerHTML",
    values: { ...fields, csrfmiddlewaretoken: csrfToken() },
  });
  window.getSelection().removeAllRanges();
  toolbar.hidden = true;
}

reading.addEventListener("click", (event) => {
  const link = event.target.closest("[data-action=reattach]");
  if (!link) return;
  event.preventDefault();
  startReattach(link);
});

// After a suggestion is accepted or new words chosen, the body comes back with the note marked.
document.body.addEventListener("noteAttached", (event) => {
  stopReattach();
  const mark = document.querySelector(`mark[data-annotations~="${event.detail.id}"]`);
  if (!mark) return;
  mark.scrollIntoView({ behavior: "smooth", block: "center" });
  flash(mark);
});

// Caret mode: selecting part of a paragraph with the keyboard ---------------------------------
// "Select with the keyboard" (or C) puts a caret at the start of the focused paragraph. The
// arrows move it (Ctrl or Alt: by word; ↑/↓: by line; Home/End: to the line's ends), Shift
// extends the selection, and H, N (or A while re-attaching) act on it exactly as on a mouse
// selection. Escape or Tab leaves. The browser's own Selection.modify does the moving; when the
// caret would leave the text of the paragraphs it goes on to the next (or previous) paragraph.

const caretMark = document.createElement("div");
caretMark.className = "caret-mark";
caretMark.hidden = true;
caretMark.setAttribute("aria-hidden", "true");
const caretStatus = document.createElement("div");
caretStatus.className = "visually-hidden";
caretStatus.setAttribute("role", "status");
caretStatus.setAttribute("aria-live", "polite");
document.body.append(caretMark, caretStatus);

let caret = null; // {key, offset}: where to put the caret back after the body is redrawn
let lastBlock = null; // the paragraph that last held the focus

function announce(text) {
  caretStatus.textContent = "";
  setTimeout(() => (caretStatus.textContent = text), 50);
}

// The text node and UTF-16 offset `points` code points into a paragraph.
function pointAt(block, points) {
  const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
  let node, last = null;
  while ((node = walker.nextNode())) {
    const chars = codePoints(node.data);
    if (points <= chars.length) return [node, chars.slice(0, points).join("").length];
    points -= chars.length;
    last = node;
  }
  return last ? [last, last.data.length] : [block, 0];
}

function enterBlock(block) {
  block.tabIndex = -1;
  block.classList.add("caret-active");
  block.focus({ preventScroll: true });
}

function leaveBlocks() {
  for (const block of reading.querySelectorAll(".block-text.caret-active")) {
    block.classList.remove("caret-active");
    block.removeAttribute("tabindex");
  }
}

function placeCaret(key, offset) {
  const block = reading.querySelector(`#article-body .block-text[data-key="${key}"]`) || blockTexts()[0];
  if (!block) return stopCaret();
  leaveBlocks();
  enterBlock(block);
  window.getSelection().collapse(...pointAt(block, offset));
  drawCaret();
}

function startingBlock() {
  const blocks = blockTexts();
  const focused = document.activeElement?.closest?.("#article-body .block");
  if (focused) return focused.querySelector(".block-text");
  if (lastBlock?.isConnected) return lastBlock;
  return blocks.find((b) => b.textContent.trim() && b.getBoundingClientRect().bottom > 0) || blocks[0];
}

function startCaret(block = startingBlock()) {
  if (!block) return;
  caret = { key: block.dataset.key, offset: 0 };
  document.body.classList.add("caret-mode");
  placeCaret(caret.key, 0);
  announce("Caret mode. Arrows move, Shift selects, H highlights, N adds a note, Escape leaves.");
}

function stopCaret() {
  if (!caret) return;
  caret = null;
  leaveBlocks();
  caretMark.hidden = true;
  document.body.classList.remove("caret-mode");
  announce("Caret mode off.");
}

// Where the selection's moving end is, as a rectangle on the screen.
function focusRect(selection) {
  const range = document.createRange();
  range.setStart(selection.focusNode, selection.focusOffset);
  const rect = [...range.getClientRects()][0];
  if (rect && rect.height) return { left: rect.left, top: rect.top, height: rect.height };
  const node = selection.focusNode;
  if (node.nodeType === Node.TEXT_NODE && node.data.length) {
    const at = selection.focusOffset;
    const around = document.createRange();
    if (at < node.data.length) around.setStart(node, at), around.setEnd(node, at + 1);
    else around.setStart(node, at - 1), around.setEnd(node, at);
    const box = [...around.getClientRects()].at(at < node.data.length ? 0 : -1);
    if (box) return { left: at < node.data.length ? box.left : box.right, top: box.top, height: box.height };
  }
  const box = (node.nodeType === Node.TEXT_NODE ? node.parentElement : node).getBoundingClientRect();
  return { left: box.left, top: box.top, height: Math.min(box.height, 24) };
}

function drawCaret() {
  const selection = window.getSelection();
  if (!caret || !selection.focusNode) return;
  const rect = focusRect(selection);
  caretMark.hidden = false;
  caretMark.style.left = `${window.scrollX + rect.left}px`;
  caretMark.style.top = `${window.scrollY + rect.top}px`;
  caretMark.style.height = `${rect.height}px`;
  if (rect.top < 0 || rect.top + rect.height > window.innerHeight) {
    window.scrollBy({ top: rect.top - window.innerHeight / 3 });
    drawCaret();
  }
}

function textBlockOf(node) {
  const element = node?.nodeType === Node.TEXT_NODE ? node.parentElement : node;
  return element?.closest?.("#article-body .block-text") || null;
}

// One step of the caret; `extend` keeps the anchor where it is.
function moveCaret(extend, direction, granularity) {
  const selection = window.getSelection();
  const before = textBlockOf(selection.focusNode);
  selection.modify(extend ? "extend" : "move", direction, granularity);
  const after = textBlockOf(selection.focusNode);
  if (!after) {
    // Out of the text (into a paragraph's links and notes): on to the next paragraph with text.
    const blocks = blockTexts().filter((b) => b.textContent.trim());
    const from = blocks.indexOf(before);
    const next = blocks[direction === "forward" ? from + 1 : from - 1];
    const target = next || before;
    const end = direction === "forward" && next ? 0 : codePoints(target.textContent).length;
    const point = pointAt(target, next ? end : direction === "forward" ? end : 0);
    if (extend) selection.extend(...point);
    else selection.collapse(...point);
  }
  const now = textBlockOf(selection.focusNode);
  if (now && now !== document.activeElement) {
    leaveBlocks();
    enterBlock(now);
  }
  drawCaret();
}

// The passage under the caret, through the same code as a mouse selection.
function actOn(action) {
  showToolbar();
  if (!passage) {
    announce("Nothing selected: hold Shift with the arrows to select.");
    return;
  }
  caret = { key: passage.end_key, offset: passage.end_offset };
  if (action === "highlight") {
    announce(`Highlighted: ${passage.exact}`);
    highlight();
  } else if (action === "note") openNoteForm();
  else attachHere();
}

const KEYS = { ArrowLeft: ["backward", "character"], ArrowRight: ["forward", "character"], ArrowUp: ["backward", "line"], ArrowDown: ["forward", "line"], Home: ["backward", "lineboundary"], End: ["forward", "lineboundary"] };

window.addEventListener(
  "keydown",
  (event) => {
    if (event.target.closest?.("input, textarea, select, [contenteditable], dialog")) return;
    if (!caret) {
      if (event.key.toLowerCase() === "c" && !event.ctrlKey && !event.metaKey && !event.altKey && !dialog?.open && blockTexts().length) {
        event.preventDefault();
        event.stopPropagation();
        startCaret();
      }
      return;
    }
    if (event.metaKey || toolbar.contains(event.target)) return;
    const key = event.key.length === 1 ? event.key.toLowerCase() : event.key;
    const move = KEYS[key];
    if (move) {
      const [direction, unit] = move;
      const granularity = (event.ctrlKey || event.altKey) && unit === "character" ? "word" : unit;
      moveCaret(event.shiftKey, direction, granularity);
    } else if (key === "Escape") {
      window.getSelection().removeAllRanges();
      toolbar.hidden = true;
      stopCaret();
    } else if (key === "Tab") {
      stopCaret();
      return;
    } else if (event.ctrlKey || event.altKey) return;
    else if (key === "h" && dialog && !reattaching) actOn("highlight");
    else if (key === "n" && dialog && !reattaching) actOn("note");
    else if (key === "a" && reattaching) actOn("attach");
    else if (key === "t") toolbar.querySelector("button, a")?.focus();
    else return;
    event.preventDefault();
    event.stopPropagation();
  },
  true,
);

let caretAnnouncing = null;
document.addEventListener("selectionchange", () => {
  if (!caret) return;
  drawCaret();
  clearTimeout(caretAnnouncing);
  caretAnnouncing = setTimeout(() => {
    const selected = caret && !dialog?.open ? selectedPassage() : null;
    if (selected) announce(`Selected: ${selected.exact.length > 200 ? `${selected.exact.slice(0, 200)}…` : selected.exact}`);
  }, 400);
});
window.addEventListener("resize", drawCaret);

// The mouse takes over from the caret; the focus leaving the paragraphs ends the mode.
document.addEventListener("mousedown", (event) => {
  if (caret && !toolbar.contains(event.target)) stopCaret();
});
reading.addEventListener("focusin", (event) => {
  const block = event.target.closest("#article-body .block");
  if (block) lastBlock = block.querySelector(".block-text");
});

// Back to the caret after the note dialog or a redraw of the body.
function resumeCaret() {
  if (!caret || dialog?.open) return;
  const selection = window.getSelection();
  const block = textBlockOf(selection.anchorNode);
  if (block && block.isConnected && !selection.isCollapsed) {
    leaveBlocks();
    enterBlock(textBlockOf(selection.focusNode) || block);
    drawCaret();
  } else placeCaret(caret.key, caret.offset);
}
dialog?.addEventListener("close", () => setTimeout(resumeCaret));
document.body.addEventListener("htmx:afterSwap", (event) => {
  showCaretButtons();
  setTimeout(resumeCaret);
});

function showCaretButtons() {
  for (const button of document.querySelectorAll("[data-action=caret]")) button.hidden = false;
}
showCaretButtons();
document.addEventListener("click", (event) => {
  if (!event.target.closest("[data-action=caret]")) return;
  event.preventDefault();
  startCaret();
});
