// The unit picker's search box needs htmx: load it once, then show the boxes.
// Without JavaScript the boxes stay hidden and the plain select is used.
(function () {
  function reveal() {
    document.querySelectorAll("input.unit-picker-search[hidden]").forEach(function (box) {
      box.hidden = false;
    });
  }
  if (window.htmx) { reveal(); return; }
  if (document.querySelector("script[data-unit-picker-htmx]")) return;
  var script = document.createElement("script");
  script.src = document.currentScript.dataset.htmx;
  script.setAttribute("data-unit-picker-htmx", "");
  script.onload = function () {
    // Loaded after the page: htmx may have missed its own start, so hand it the page.
    window.htmx.process(document.body);
    reveal();
  };
  document.head.appendChild(script);
})();
