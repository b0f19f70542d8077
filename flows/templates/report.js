// Filtering and sorting the deals table, in the page itself (it loads nothing from anywhere).
(function () {
  "use strict";
  var table = document.getElementById("deals");
  if (!table) { return; }
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var f = {
    company: document.getElementById("f-company"),
    type: document.getElementById("f-type"),
    since: document.getElementById("f-since"),
    until: document.getElementById("f-until"),
    min: document.getElementById("f-min"),
    status: document.getElementById("f-status")
  };
  var shown = document.getElementById("shown");

  function visible(row) {
    var d = row.dataset;
    var company = f.company.value.trim().toLowerCase();
    if (company && d.company.indexOf(company) < 0) { return false; }
    if (f.type.value && d.type !== f.type.value) { return false; }
    if (f.since.value && (!d.date || d.date < f.since.value)) { return false; }
    if (f.until.value && (!d.date || d.date > f.until.value)) { return false; }
    var min = parseFloat(f.min.value);
    if (!isNaN(min) && min > 0 && !(parseFloat(d.value) >= min * 1e6)) { return false; }
    if (f.status.value && d.status !== f.status.value) { return false; }
    return true;
  }

  function apply() {
    var n = 0;
    rows.forEach(function (row) {
      var ok = visible(row);
      row.hidden = !ok;
      if (ok) { n += 1; }
      var id = row.dataset.deal;
      document.querySelectorAll('[data-deal="' + CSS.escape(id) + '"]').forEach(function (el) {
        if (el !== row) { el.classList.toggle("hidden", !ok); }
      });
    });
    shown.textContent = n + " of " + rows.length + " deals";
  }

  function sortBy(th) {
    var key = th.dataset.key, numeric = th.dataset.type === "number";
    var dir = th.getAttribute("aria-sort") === "descending" ? "ascending" : "descending";
    table.querySelectorAll("th").forEach(function (h) { h.setAttribute("aria-sort", "none"); });
    th.setAttribute("aria-sort", dir);
    var sign = dir === "ascending" ? 1 : -1;
    rows.sort(function (a, b) {
      var x = a.dataset[key] || "", y = b.dataset[key] || "";
      if (x === "" || y === "") { return (x === "") - (y === ""); }  // empty last either way
      if (numeric) { return sign * (parseFloat(x) - parseFloat(y)); }
      return sign * x.localeCompare(y);
    });
    rows.forEach(function (row) { body.appendChild(row); });
  }

  Object.keys(f).forEach(function (k) { f[k].addEventListener("input", apply); f[k].addEventListener("change", apply); });
  document.getElementById("filters").addEventListener("reset", function () { setTimeout(apply, 0); });
  table.querySelectorAll("th").forEach(function (th) { th.addEventListener("click", function () { sortBy(th); }); });
  apply();
})();
