// Keyboard movement in the ratings grid: arrow keys and Enter move between cells,
// like a spreadsheet. In a text cell, Left/Right move the caret until it reaches an edge.
(function () {
  "use strict";
  function position(table, el) {
    var row = el.closest("tr");
    var rows = Array.from(table.tBodies[0].rows);
    var inRow = Array.from(row.querySelectorAll("[data-cell]"));
    return { rows: rows, r: rows.indexOf(row), c: inRow.indexOf(el) };
  }
  function focusAt(table, r, c) {
    var rows = Array.from(table.tBodies[0].rows);
    if (r < 0 || r >= rows.length) return;
    var inRow = rows[r].querySelectorAll("[data-cell]");
    var target = inRow[Math.max(0, Math.min(c, inRow.length - 1))];
    if (target) { target.focus(); if (target.select) target.select(); }
  }
  document.addEventListener("keydown", function (event) {
    var el = event.target;
    if (!el.matches || !el.matches("[data-grid] [data-cell]")) return;
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    var table = el.closest("table");
    var p = position(table, el);
    var text = el.tagName === "INPUT";
    var move = null;
    if (event.key === "ArrowDown" || (event.key === "Enter" && !event.shiftKey)) move = [1, 0];
    else if (event.key === "ArrowUp" || (event.key === "Enter" && event.shiftKey)) move = [-1, 0];
    else if (event.key === "ArrowLeft" && (!text || el.selectionStart === 0)) move = [0, -1];
    else if (event.key === "ArrowRight" && (!text || el.selectionEnd === el.value.length)) move = [0, 1];
    if (!move) return;
    event.preventDefault();
    // Leaving a changed cell saves it (htmx listens to "change").
    if (text && el.value !== el.defaultValue) el.dispatchEvent(new Event("change", { bubbles: true }));
    var c = p.c + move[1], r = p.r + move[0];
    var width = p.rows[p.r].querySelectorAll("[data-cell]").length;
    if (c < 0) { r -= 1; c = width - 1; } else if (c >= width) { r += 1; c = 0; }
    focusAt(table, r, c);
  });
  // After htmx swaps a saved row in, keep the focus where the user had moved it.
  var focused = null;
  document.addEventListener("htmx:beforeSwap", function () {
    var active = document.activeElement;
    focused = active && active.id ? active.id : null;
  });
  document.addEventListener("htmx:afterSwap", function () {
    if (!focused) return;
    var el = document.getElementById(focused);
    focused = null;
    if (el && document.activeElement !== el) el.focus();
  });
})();
