// @mention suggestions: in a textarea with data-mentions (the suggestion endpoint's URL, with the
// note it answers or edits), typing "@" and the start of a name lists, under the box, the people
// who could read the note (annotations/views/people.py asks the same rule as the server's
// mentions). The box keeps focus, as in the ARIA combobox pattern: aria-activedescendant names
// the option; Up and Down move, Enter or Tab chooses, Escape closes. Works on forms htmx adds
// later (everything is delegated from `document`). Loaded once per page from base.html.

const DELAY_MS = 150; // debounce: one request once the reader pauses
const NAME = /(?<![\p{L}\p{N}_@/.])@([\p{L}\p{N}_.+-]{1,30})$/u; // "@al" just before the caret

let open = null; // {box, list, start, names, active} while a list is shown
let timer = 0;
let asked = null; // the AbortController of the request in flight
let counter = 0;

function suggestUrl(box, q) {
  const url = new URL(box.dataset.mentions, window.location.href);
  url.searchParams.set("q", q);
  const menu = box.form?.elements.namedItem("visibility");
  const changed = menu instanceof HTMLSelectElement && [...menu.options].some((o) => o.selected !== o.defaultSelected);
  if (!url.searchParams.has("note")) {
    const slug = box.closest("[data-article]")?.dataset.article
      ?? box.form?.getAttribute("action")?.match(/\/articles\/([^/]+)\/notes\/$/)?.[1];
    if (slug) url.searchParams.set("article", decodeURIComponent(slug));
    if (menu instanceof HTMLSelectElement) url.searchParams.set("visibility", menu.value);
  } else if (changed) {
    url.searchParams.set("visibility", menu.value); // an edit choosing another audience
  }
  return url;
}

function close() {
  if (!open) return;
  const { box, list } = open;
  list.remove();
  box.removeAttribute("aria-activedescendant");
  box.removeAttribute("aria-controls");
  open = null;
}

function choose(index) {
  const { box, start, names } = open;
  const name = names[index];
  const caret = box.selectionStart;
  const text = `@${name} `;
  box.setRangeText(text, start, caret, "end");
  close();
  box.dispatchEvent(new Event("input", { bubbles: true })); // the length counter (forms.js) follows
}

function highlight(index) {
  const { box, list } = open;
  open.active = index;
  [...list.children].forEach((option, i) => option.setAttribute("aria-selected", String(i === index)));
  const option = list.children[index];
  box.setAttribute("aria-activedescendant", option.id);
  option.scrollIntoView({ block: "nearest" });
}

function show(box, start, names) {
  close();
  if (!names.length || document.activeElement !== box) return;
  const list = document.createElement("ul");
  list.id = `${box.id || "comment"}-mentions`;
  list.className = "mention-list";
  list.setAttribute("role", "listbox");
  list.setAttribute("aria-label", "People to mention");
  names.forEach((name, i) => {
    const option = document.createElement("li");
    option.id = `${list.id}-${i}`;
    option.setAttribute("role", "option");
    option.setAttribute("aria-selected", "false");
    option.textContent = `@${name}`;
    option.addEventListener("mousedown", (event) => event.preventDefault()); // the box keeps focus
    option.addEventListener("click", () => { if (open) choose(i); });
    list.append(option);
  });
  box.insertAdjacentElement("afterend", list);
  box.setAttribute("aria-controls", list.id);
  open = { box, list, start, names, active: 0 };
  highlight(0);
}

async function suggest(box) {
  const before = box.value.slice(0, box.selectionStart);
  const found = box.selectionStart === box.selectionEnd ? before.match(NAME) : null;
  if (!found) { close(); return; }
  asked?.abort();
  asked = new AbortController();
  const mine = ++counter;
  try {
    const response = await fetch(suggestUrl(box, found[1]), {
      headers: { Accept: "application/json" },
      credentials: "same-origin",
      signal: asked.signal,
    });
    if (!response.ok) { close(); return; }
    const { people } = await response.json();
    if (mine === counter) show(box, before.length - found[0].length, people);
  } catch (error) {
    if (error.name !== "AbortError") close();
  }
}

function isMentionBox(target) {
  return target instanceof HTMLTextAreaElement && target.dataset.mentions !== undefined;
}

document.addEventListener("focusin", (event) => {
  if (isMentionBox(event.target)) event.target.setAttribute("aria-autocomplete", "list");
});

document.addEventListener("input", (event) => {
  if (!isMentionBox(event.target) || !event.isTrusted) return;
  clearTimeout(timer);
  const box = event.target;
  timer = setTimeout(() => suggest(box), DELAY_MS);
});

document.addEventListener("keydown", (event) => {
  if (!open || event.target !== open.box || event.isComposing) return;
  const count = open.names.length;
  if (event.key === "ArrowDown" || event.key === "ArrowUp") {
    highlight((open.active + (event.key === "ArrowDown" ? 1 : count - 1)) % count);
  } else if ((event.key === "Enter" || event.key === "Tab") && !event.shiftKey && !event.ctrlKey && !event.metaKey) {
    choose(open.active);
  } else if (event.key === "Escape") {
    close();
    event.stopPropagation(); // Escape closes the list, not the note dialog around it
  } else {
    return;
  }
  event.preventDefault();
}, true); // capture: before the dialog's and the reader's own keys

document.addEventListener("focusout", (event) => {
  if (open && event.target === open.box) close();
});
