// The language switcher keeps the reader at the same section: anchors are identical across editions.
document.querySelectorAll("nav.languages a[hreflang]").forEach(function (link) {
  link.addEventListener("click", function () {
    link.href = link.href.split("#")[0] + window.location.hash;
  });
});

// A note's text previewed beside its call, on hover or keyboard focus.
(function () {
  var preview = null;
  function hide() {
    if (preview) { preview.remove(); preview = null; }
  }
  function show(event) {
    var call = event.currentTarget;
    var note = document.getElementById(call.getAttribute("href").slice(1));
    if (!note) { return; }
    hide();
    preview = document.createElement("div");
    preview.className = "note-preview";
    preview.setAttribute("role", "tooltip");
    preview.id = "note-preview";
    var copy = note.cloneNode(true);
    copy.querySelectorAll(".footnote-back").forEach(function (back) { back.remove(); });
    copy.removeAttribute("id");
    preview.innerHTML = copy.innerHTML;
    document.body.appendChild(preview);
    var box = call.getBoundingClientRect();
    var left = Math.min(window.scrollX + box.left, window.scrollX + document.documentElement.clientWidth - preview.offsetWidth - 8);
    preview.style.left = Math.max(8, left) + "px";
    preview.style.top = (window.scrollY + box.bottom + 6) + "px";
    call.setAttribute("aria-describedby", "note-preview");
  }
  document.querySelectorAll("a.footnote-ref").forEach(function (call) {
    call.addEventListener("mouseenter", show);
    call.addEventListener("focus", show);
    call.addEventListener("mouseleave", hide);
    call.addEventListener("blur", hide);
  });
  document.addEventListener("keydown", function (event) { if (event.key === "Escape") { hide(); } });
})();
