// A province select (data-filters="<id of a district select>") narrows that select to the province's
// districts, whose <optgroup> carries the province's name. Without JavaScript every district stays
// listed, grouped by province; the server checks the pair either way.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("select[data-filters]").forEach((provinceSelect) => {
    const districtSelect = document.getElementById(provinceSelect.dataset.filters);
    if (!districtSelect) return;
    const groups = Array.from(districtSelect.querySelectorAll("optgroup"));
    const provinceName = () => {
      const option = provinceSelect.selectedOptions[0];
      return option && option.value ? option.textContent.trim() : "";
    };
    const narrow = () => {
      const name = provinceName();
      groups.forEach((group) => {
        const shown = !name || group.label === name;
        group.hidden = !shown;
        group.disabled = !shown;
      });
      const chosen = districtSelect.selectedOptions[0];
      if (chosen && chosen.parentElement.tagName === "OPTGROUP" && chosen.parentElement.disabled) {
        districtSelect.value = "";
      }
    };
    // Choosing a district first sets its province, so that the pair shown is the pair sent.
    districtSelect.addEventListener("change", () => {
      const chosen = districtSelect.selectedOptions[0];
      if (!chosen || !chosen.value || provinceName()) return;
      const label = chosen.parentElement.label;
      const match = Array.from(provinceSelect.options).find((o) => o.textContent.trim() === label);
      if (match) {
        provinceSelect.value = match.value;
        narrow();
      }
    });
    provinceSelect.addEventListener("change", narrow);
    narrow();
  });
});
