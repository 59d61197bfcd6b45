// The curator's editor on the reading page (staff only): open a block's editor in a dialog,
// keep the cursor's place for "Split at cursor", and close the dialog once the text is saved.
// The server renders the form, the preview and the dry run; without this file every "Edit"
// link opens the editor as a page of its own.

const dialog = document.getElementById("curator-dialog");
const panel = document.getElementById("curator-panel");

// The server counts the split point in code points; a textarea counts UTF-16 units.
function cursorInCodePoints(textarea) {
  return Array.from(textarea.value.slice(0, textarea.selectionStart)).length;
}

function keepCursor(event) {
  const textarea = event.target.closest("#curator-source");
  const field = textarea?.form.elements.cursor;
  if (field) field.value = cursorInCodePoints(textarea);
}

function opened() {
  const form = panel.querySelector(".curator-form");
  if (!form) return;
  form.classList.add("with-script"); // the cursor field is kept by the script, so it hides
  if (!dialog.open) dialog.showModal();
  const textarea = form.querySelector("#curator-source");
  textarea.focus();
  textarea.setSelectionRange(textarea.value.length, textarea.value.length);
  keepCursor({ target: textarea });
}

for (const type of ["keyup", "mouseup", "input", "select", "focus"]) {
  panel.addEventListener(type, keepCursor, true);
}
document.addEventListener("selectionchange", () => {
  if (document.activeElement?.id === "curator-source") keepCursor({ target: document.activeElement });
});

document.body.addEventListener("htmx:afterSwap", (event) => {
  if (event.detail.target === panel) opened();
  // An error from the server (4xx) is swapped into the preview: keep it in view.
  const error = event.detail.target.querySelector?.(".curator-error");
  if (error && dialog.contains(error)) error.scrollIntoView({ block: "nearest" });
});

// The server answers a failed request it could not describe (5xx, or no answer at all) with nothing to show.
document.body.addEventListener("htmx:sendError", showFailure);
document.body.addEventListener("htmx:responseError", (event) => {
  if (event.detail.xhr.status >= 500) showFailure(event);
});

function showFailure(event) {
  if (!dialog.contains(event.detail.elt)) return;
  const preview = panel.querySelector("#curator-preview");
  if (!preview) return;
  const message = document.createElement("p");
  message.className = "curator-error";
  message.setAttribute("role", "alert");
  message.textContent = "The server could not be reached, or failed: nothing was saved. Try again in a moment.";
  preview.replaceChildren(message);
}

panel.addEventListener("click", (event) => {
  if (event.target.closest("[data-action=curator-cancel]")) {
    event.preventDefault();
    dialog.close();
  }
});

dialog.addEventListener("close", () => panel.replaceChildren());

document.body.addEventListener("curatorSaved", (event) => {
  if (dialog.open) dialog.close();
  const block = document.getElementById(event.detail.key);
  if (!block) return;
  block.scrollIntoView({ behavior: "smooth", block: "center" });
  block.classList.remove("flash");
  void block.offsetWidth; // restart the animation
  block.classList.add("flash");
  block.querySelector(".curator-edit")?.focus({ preventScroll: true });
});
