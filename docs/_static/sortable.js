// Click a column heading of a table with class "sortable" to sort by that column.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("table.sortable").forEach((table) => {
    const headings = table.querySelectorAll("thead th");
    headings.forEach((th, column) => {
      th.style.cursor = "pointer";
      th.title = "Sort by this column";
      th.addEventListener("click", () => {
        const body = table.tBodies[0];
        const rows = Array.from(body.rows);
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
