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
let highlighting = false;

function highlight() {
  if (!passage || highlighting) return;
  const { rect, ...fields } = passage;
  const csrf = dialog.querySelector("[name=csrfmiddlewaretoken]").value;
  const button = toolbar.querySelector("[data-action=highlight]");
  highlighting = button.disabled = true;
  htmx
    .ajax("POST", reading.dataset.createUrl, {
      target: "#article-body",
      swap: "outerHTML",
      values: { ...fields, visibility: "private", csrfmiddlewaretoken: csrf },
    })
    .finally(() => {
      highlighting = button.disabled = false;
    });
  window.getSelection().removeAllRanges();
  toolbar.hidden = true;
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

function openNotes() {
  if (WIDE.matches) for (const details of reading.querySelectorAll(".notes-details")) details.open = true;
}

reading.addEventListener("click", (event) => {
  const mark = event.target.closest("mark[data-annotations]");
  if (mark && window.getSelection().isCollapsed) {
    const ids = mark.dataset.annotations.split(" ");
    const card = ids.map((id) => document.getElementById(`note-${id}`)).find(Boolean);
    if (!card) return;
    const details = card.closest("details");
    if (details) details.open = true;
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
    openNotes();
  }
});
toast.addEventListener("click", () => toast.classList.remove("visible"));

openNotes();
WIDE.addEventListener("change", openNotes);
if (location.hash) flash(document.getElementById(location.hash.slice(1)));

// A reply form opened under a note closes again on Cancel.
reading.addEventListener("click", (event) => {
  const cancel = event.target.closest("[data-action=cancel-reply]");
  if (cancel && cancel.closest(".reply-slot")) {
    event.preventDefault();
    cancel.closest(".reply-slot").replaceChildren();
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
