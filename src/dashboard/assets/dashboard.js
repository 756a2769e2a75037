// The dashboard's one script, served by the bot (the CSP allows no other). Everything here only
// improves pages that already work without it: sorting and filtering tables in place, and
// refreshing an announcement's progress while it goes out.
"use strict";

function sortableTables() {
  for (const table of document.querySelectorAll("table[data-sortable]")) {
    const headers = [...table.querySelectorAll("thead th")];
    headers.forEach((header, column) => {
      if (!header.dataset.column) return;
      const link = header.querySelector("a");
      const target = link ?? header;
      if (!link) header.tabIndex = 0;
      const sort = (event) => {
        event.preventDefault();
        const ascending = header.getAttribute("aria-sort") !== "ascending";
        for (const other of headers) other.setAttribute("aria-sort", "none");
        header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        const body = table.tBodies[0];
        const rows = [...body.rows].filter((row) => !row.classList.contains("total"));
        const value = (row) => row.cells[column]?.dataset.value ?? row.cells[column]?.textContent ?? "";
        const numeric = rows.every((row) => value(row) === "" || !Number.isNaN(Number(value(row))));
        rows.sort((left, right) => {
          const a = value(left);
          const b = value(right);
          const order = numeric ? Number(a) - Number(b) : a.localeCompare(b, document.documentElement.lang);
          return ascending ? order : -order;
        });
        body.append(...rows);
        const form = document.querySelector("[data-filter-form]");
        if (form) {
          form.elements.sort.value = header.dataset.column;
          form.elements.dir.value = ascending ? "asc" : "desc";
        }
      };
      target.addEventListener("click", sort);
      target.addEventListener("keydown", (event) => event.key === "Enter" && sort(event));
    });
  }
}

function liveFilter() {
  const form = document.querySelector("[data-filter-form]");
  const table = document.querySelector("table.groups");
  if (!form || !table) return;
  const count = document.querySelector("[data-count]");
  const apply = () => {
    const query = form.elements.q.value.trim().toLocaleLowerCase();
    const wanted = {};
    for (const name of ["platform", "language", "country", "reachable"]) wanted[name] = form.elements[name].value;
    let shown = 0;
    const rows = [...table.tBodies[0].rows];
    for (const row of rows) {
      const visible =
        (!query || row.dataset.search.includes(query)) &&
        Object.entries(wanted).every(([name, value]) => !value || row.dataset[name] === value);
      row.hidden = !visible;
      if (visible) shown += 1;
    }
    if (count) count.textContent = count.dataset.template.replace("{shown}", shown).replace("{total}", rows.length);
    const params = new URLSearchParams(new FormData(form));
    history.replaceState(null, "", `?${params}`);
    const exportLink = form.querySelector("a[download]");
    if (exportLink) exportLink.href = `${exportLink.pathname}?${params}`;
  };
  form.addEventListener("input", apply);
  form.addEventListener("change", apply);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    apply();
  });
}

function liveProgress() {
  const panel = document.querySelector("[data-live]");
  if (!panel || panel.hasAttribute("data-finished")) return;
  const refresh = async () => {
    try {
      const response = await fetch(panel.dataset.live, { credentials: "same-origin", headers: { accept: "application/json" } });
      if (!response.ok) return;
      const live = await response.json();
      for (const [name, text] of Object.entries(live.fields)) {
        const element = panel.querySelector(`[data-field="${CSS.escape(name)}"]`);
        if (element) element.textContent = text;
      }
      const bar = panel.querySelector("[data-field-progress]");
      bar.max = Math.max(1, live.total);
      bar.value = live.done;
      const failures = panel.querySelector("[data-field-list=failures]");
      failures.replaceChildren(
        ...(live.failures.length ? live.failures : [failures.dataset.empty]).map((text) => {
          const item = document.createElement("li");
          item.textContent = text;
          return item;
        }),
      );
      if (live.finished) panel.setAttribute("data-finished", "");
    } finally {
      if (!panel.hasAttribute("data-finished")) setTimeout(refresh, 1000);
    }
  };
  setTimeout(refresh, 1000);
}

sortableTables();
liveFilter();
liveProgress();
