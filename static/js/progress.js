// Adds an empty activity row (date + text) to the progress form; the server reads them as lists.
document.addEventListener("DOMContentLoaded", () => {
  const button = document.getElementById("add-activity");
  const list = document.getElementById("activities");
  if (!button || !list) return;
  button.addEventListener("click", () => {
    const rows = list.querySelectorAll(".activity-row");
    const copy = rows[rows.length - 1].cloneNode(true);
    copy.querySelectorAll("input, textarea").forEach((field) => {
      field.value = "";
      field.classList.remove("is-invalid");
    });
    copy.querySelectorAll(".invalid-feedback").forEach((node) => node.remove());
    list.appendChild(copy);
    copy.querySelector("input").focus();
  });
});
