// Copy buttons: <button data-copy="ID"> copies the value (or text) of the element with that id.
// The buttons are rendered hidden; this module shows them. Without it (or without a clipboard)
// the link itself stays on the page, selectable, which is how it is copied then.

const SHOWN_FOR_MS = 2000;

async function copy(button) {
  const source = document.getElementById(button.dataset.copy);
  if (!source) return;
  const text = "value" in source ? source.value : source.textContent;
  const label = button.textContent;
  try {
    await navigator.clipboard.writeText(text);
    button.textContent = "Copied";
    button.dataset.state = "copied";
  } catch {
    // No permission: select the text so that Ctrl+C / ⌘C copies it, and say so.
    source.select?.();
    button.textContent = "Press Ctrl+C to copy";
    button.dataset.state = "failed";
  }
  setTimeout(() => {
    button.textContent = label;
    delete button.dataset.state;
  }, SHOWN_FOR_MS);
}

if (navigator.clipboard) {
  for (const button of document.querySelectorAll("button[data-copy]")) {
    button.hidden = false;
    button.addEventListener("click", () => copy(button));
  }
}
