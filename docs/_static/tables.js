// Tables with class "data-table": a filter box above each (keeps the rows that contain
// every word typed), a row count, and click-to-sort column headings.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("table.data-table").forEach((table, index) => {
    const body = table.tBodies[0];
    if (!body) return;
    const rows = Array.from(body.rows);
    const box = document.createElement("div");
    box.className = "table-filter";
    const input = document.createElement("input");
    input.type = "search";
    input.id = `table-filter-${index}`;
    input.placeholder = "Filter rows (e.g. XIAP cisplatin)";
    input.setAttribute("aria-label", "Filter the rows of this table");
    const count = document.createElement("span");
    count.className = "table-filter-count";
    const show = () => {
      const words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
      let shown = 0;
      rows.forEach((row) => {
        const text = row.innerText.toLowerCase();
        const keep = words.every((w) => text.includes(w));
        row.hidden = !keep;
        if (keep) shown += 1;
      });
      count.textContent = `${shown} of ${rows.length} rows`;
    };
    input.addEventListener("input", show);
    box.append(input, count);
    const anchor = table.closest(".table-wrapper") || table;
    anchor.parentNode.insertBefore(box, anchor);
    show();
    const headings = table.querySelectorAll("thead th");
    headings.forEach((th, column) => {
      th.style.cursor = "pointer";
      th.title = "Sort by this column";
      th.addEventListener("click", () => {
        const ascending = th.dataset.order !== "asc";
        headings.forEach((h) => delete h.dataset.order);
        th.dataset.order = ascending ? "asc" : "desc";
        rows.sort((a, b) => {
          const x = a.cells[column].innerText.trim();
          const y = b.cells[column].innerText.trim();
          return (ascending ? 1 : -1) * x.localeCompare(y, undefined, { numeric: true });
        });
        rows.forEach((row) => body.appendChild(row));
      });
    });
  });
});
