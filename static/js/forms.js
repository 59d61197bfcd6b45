// What a form sent with htmx needs on any page: a refusal shown where it was asked for, a
// confirmation that is part of the page rather than the browser's confirm(), and the limits of
// a field said while the reader types. Loaded once per page (a module runs once per URL).

// Errors in place ----------------------------------------------------------------------------
// With DEBUG on, {% htmx_script %} adds django-htmx's debug script, which listens on `document`
// and replaces the whole page with any 400, 403 or 404 an htmx request gets back: it is meant for
// Django's error pages, but a refused note is a 400 too, and the draft went with the page. Such a
// response stops here, on <html>, before it reaches `document`; htmx then swaps it where it
// belongs, exactly as with DEBUG off. A 500 still reaches the debug page and its traceback.
document.documentElement.addEventListener("htmx:beforeOnLoad", (event) => {
  const status = event.detail.xhr?.status ?? 0;
  if (status >= 400 && status < 500) event.stopPropagation();
});

// A 4xx fragment goes where its request said (a preview's error under the preview). A whole error
// page (a CSRF failure, a 404 from a stale link) never goes into a form's target: on a page with a
// toast, its message goes there.
function messageOf(html, xhr) {
  const page = new DOMParser().parseFromString(html, "text/html");
  const found = page.querySelector("[role=alert], .toast-message, .field-errors")
    ?? [page.querySelector("h1"), page.querySelector("h1 ~ p, main p")].filter(Boolean);
  const text = (Array.isArray(found) ? found.map((e) => e.textContent.trim()).join(" ") : found.textContent).trim();
  return text.slice(0, 300) || `That did not work (${xhr.status} ${xhr.statusText}).`;
}

document.addEventListener("htmx:beforeSwap", (event) => {
  const { xhr, target } = event.detail;
  const toast = document.getElementById("toast");
  if (!toast || target === toast || xhr.status < 400 || xhr.status >= 500) return;
  if (!/<html[\s>]/i.test(xhr.responseText)) return;
  const message = document.createElement("p");
  message.className = "toast-message";
  message.textContent = messageOf(xhr.responseText, xhr);
  event.detail.shouldSwap = true;
  event.detail.isError = false;
  event.detail.target = toast;
  event.detail.swapOverride = "innerHTML";
  event.detail.serverResponse = message.outerHTML;
}, true); // capture: before the reading page's own handlers see where the response goes

// A server failure (5xx) or a lost connection swaps nothing: say so where the reader looks, so a
// note that was not saved never looks as if it was.
function sayFailed(text) {
  const toast = document.getElementById("toast");
  if (!toast) return;
  const message = document.createElement("p");
  message.className = "toast-message";
  message.textContent = text;
  toast.replaceChildren(message);
  document.querySelector("dialog[open]")?.append(toast); // outside a modal dialog it would be inert
  toast.classList.add("visible");
}

document.addEventListener("htmx:responseError", (event) => {
  if ((event.detail.xhr?.status ?? 0) >= 500) {
    sayFailed("Something went wrong on our side, and nothing was saved. Please try again in a moment.");
  }
});
document.addEventListener("htmx:sendError", () => {
  sayFailed("The server could not be reached, and nothing was saved. Check your connection and try again.");
});

// Confirmation --------------------------------------------------------------------------------
// An element with hx-confirm asks in a small modal dialog: focus starts on the safe answer,
// Tab reaches the other, Escape keeps things as they are. Without JavaScript the same link
// leads to a confirmation page.
function askToConfirm(question, answer) {
  const [title, ...rest] = question.split(/(?<=\?)\s+/);
  const dialog = document.createElement("dialog");
  dialog.className = "confirm-dialog";
  dialog.setAttribute("role", "alertdialog");
  dialog.setAttribute("aria-labelledby", "confirm-title");
  dialog.setAttribute("aria-describedby", "confirm-detail");
  const form = document.createElement("form");
  form.method = "dialog";
  const heading = document.createElement("h2");
  heading.id = "confirm-title";
  heading.textContent = title;
  const detail = document.createElement("p");
  detail.id = "confirm-detail";
  detail.textContent = rest.join(" ");
  const actions = document.createElement("div");
  actions.className = "form-actions";
  const yes = document.createElement("button");
  yes.className = "button danger";
  yes.value = "yes";
  yes.textContent = answer;
  const no = document.createElement("button");
  no.className = "button";
  no.value = "no";
  no.textContent = "Cancel";
  actions.append(yes, no);
  form.append(heading, detail, actions);
  dialog.append(form);
  document.body.append(dialog);
  return new Promise((resolve) => {
    dialog.addEventListener("close", () => {
      dialog.remove();
      resolve(dialog.returnValue === "yes");
    });
    dialog.showModal();
    no.focus();
  });
}

document.addEventListener("htmx:confirm", (event) => {
  const { question, elt, issueRequest } = event.detail;
  if (!question) return;
  event.preventDefault();
  const answer = elt.dataset.confirmAnswer || (question.startsWith("Delete") ? "Delete" : "OK");
  askToConfirm(question, answer).then((confirmed) => {
    if (confirmed) issueRequest(true);
    else if (elt.isConnected) elt.focus();
  });
});

// Limits beside the fields --------------------------------------------------------------------
// The server counts code points. A form the browser sends itself sends each line break as CR LF,
// two characters; htmx sends it as it is, one.
const number = new Intl.NumberFormat("en");
const NEAR = 0.9;

function length(field) {
  const breaks = field.closest("[hx-post]") ? 0 : (field.value.match(/\n/g)?.length ?? 0);
  return Array.from(field.value).length + breaks;
}

function say(field, state, warning) {
  const box = document.getElementById(field.dataset.limitBox);
  if (!box) return;
  box.classList.toggle("near", state === "near");
  box.classList.toggle("over", state === "over");
  const live = box.querySelector(".limit-warning");
  if (live.textContent !== warning) live.textContent = warning; // announced only when it changes
  return box;
}

function countComment(field) {
  const limit = Number(field.dataset.limit);
  const count = length(field);
  const state = count > limit ? "over" : count >= limit * NEAR ? "near" : "";
  const warning =
    state === "over"
      ? `${number.format(count - limit)} characters too many: shorten it to save.`
      : state === "near" ? `${number.format(limit - count)} characters left.` : "";
  const box = say(field, state, warning);
  if (box) box.querySelector(".limit-count").textContent = `${number.format(count)} / ${number.format(limit)}`;
}

function checkTags(field) {
  const perTag = Number(field.dataset.tagLength);
  const most = Number(field.dataset.tagCount);
  const names = field.value.split(",").map((name) => name.normalize("NFKC").replace(/\s+/g, " ").trim()).filter(Boolean);
  const long = names.find((name) => Array.from(name).length > perTag);
  let warning = "";
  if (long) {
    const shown = Array.from(long).slice(0, 20).join("");
    warning = `The tag “${shown}…” has ${Array.from(long).length} characters; a tag can have ${perTag}.`;
  } else if (new Set(names.map((name) => name.toLowerCase())).size > most) {
    warning = `That is more than ${most} tags; a note can have ${most}.`;
  }
  say(field, warning ? "over" : "", warning);
}

function check(field) {
  if (field.matches("[data-limit]")) countComment(field);
  else if (field.matches("[data-tag-length]")) checkTags(field);
}

function checkAll(root) {
  for (const field of root.querySelectorAll("[data-limit-box]")) check(field);
}

document.addEventListener("input", (event) => {
  if (event.target.matches?.("[data-limit-box]")) check(event.target);
});
// A form reset (after a note is saved) empties the fields without an input event.
document.addEventListener("reset", (event) => setTimeout(() => checkAll(event.target)));
document.addEventListener("htmx:load", (event) => checkAll(event.detail.elt));
checkAll(document);
