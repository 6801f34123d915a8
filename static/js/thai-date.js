// A calendar for the พ.ศ. date boxes (itaportal/date_fields.py, input[data-thai-date]). The box stays a
// text box that the server reads; this adds a button beside it that opens the browser's own date
// picker on a hidden native date input and writes the chosen day back as dd/mm/พ.ศ. A browser without
// showPicker() keeps the plain box. Clicks are handled on the document, so that rows cloned by
// progress.js ("Add an activity") work without being enhanced again.
(() => {
  const BE_OFFSET = 543;
  const THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙";

  const arabic = (text) => text.replace(/[๐-๙]/g, (digit) => String(THAI_DIGITS.indexOf(digit)));
  const pad = (number) => String(number).padStart(2, "0");

  // The box's day as the native input's ISO value, when it is typed as day/month/year; else "".
  function isoOf(text) {
    const match = /^\s*(\d{1,2})\s*([/.-])\s*(\d{1,2})\s*\2\s*(\d{4})\s*$/.exec(arabic(text));
    if (!match) return "";
    let year = Number(match[4]);
    if (year >= 2400) year -= BE_OFFSET;
    return `${year}-${pad(match[3])}-${pad(match[1])}`;
  }

  function enhance(box) {
    if (box.dataset.thaiDateReady) return;
    const native = document.createElement("input");
    native.type = "date";
    if (native.type !== "date" || typeof native.showPicker !== "function") return;
    box.dataset.thaiDateReady = "1";
    native.className = "thai-date-native";
    native.tabIndex = -1;
    native.setAttribute("aria-hidden", "true");
    const button = document.createElement("button");
    button.type = "button";
    button.className = "btn btn-outline-secondary thai-date-button";
    if (box.classList.contains("form-control-sm")) button.classList.add("btn-sm");
    button.setAttribute("aria-label", box.dataset.pickerLabel || "");
    button.title = box.dataset.pickerLabel || "";
    button.innerHTML =
      '<svg width="16" height="16" viewBox="0 0 16 16" aria-hidden="true" focusable="false">' +
      '<rect x="1.5" y="2.5" width="13" height="12" rx="1.5" fill="none" stroke="currentColor"/>' +
      '<path d="M1.5 6h13M5 1v3M11 1v3" stroke="currentColor"/></svg>';
    box.after(button, native);
  }

  function enhanceAll(root) {
    root.querySelectorAll("input[data-thai-date]").forEach(enhance);
  }

  document.addEventListener("click", (event) => {
    const button = event.target.closest(".thai-date-button");
    if (!button) return;
    const box = button.previousElementSibling;
    const native = button.nextElementSibling;
    if (!box || !native || box.disabled || box.readOnly) return;
    native.value = isoOf(box.value);
    try {
      native.showPicker();
    } catch {
      box.focus();
    }
  });

  // Captured before the form sees them: the hidden input has no name, and only the box's own events
  // (sent below) should reach the form.
  document.addEventListener("input", (event) => {
    if (event.target.classList && event.target.classList.contains("thai-date-native")) event.stopPropagation();
  }, true);

  document.addEventListener("change", (event) => {
    const native = event.target;
    if (!native.classList || !native.classList.contains("thai-date-native")) return;
    event.stopPropagation();
    if (!native.value) return;
    const box = native.previousElementSibling.previousElementSibling;
    const [year, month, day] = native.value.split("-").map(Number);
    box.value = `${pad(day)}/${pad(month)}/${year + BE_OFFSET}`;
    // The form reacts as if the person had typed it (the progress form saves itself on input).
    box.dispatchEvent(new Event("input", { bubbles: true }));
    box.dispatchEvent(new Event("change", { bubbles: true }));
    box.focus();
  }, true);

  document.addEventListener("DOMContentLoaded", () => enhanceAll(document));
  document.addEventListener("htmx:load", (event) => enhanceAll(event.target));
})();
