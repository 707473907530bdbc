// The language switcher keeps the reader at the same place: anchors are identical across editions. The
// place is the nearest section heading above the top of the window where the reader last stopped scrolling in the
// text, kept in the address (without a new history entry), so that scrolling back up to the switcher, or
// copying the address, keeps it too.
function placeAboveTop() {
  var place = "";
  document.querySelectorAll("main section[id], main h2[id], main h3[id], main h4[id]").forEach(function (heading) {
    if (heading.getBoundingClientRect().top <= 8) { place = "#" + heading.id; }
  });
  return place;
}
window.addEventListener("scrollend", function () {
  var header = document.querySelector(".site-header");
  if (header && window.scrollY <= header.offsetHeight) { return; }    // back at the switcher: keep the place
  var place = placeAboveTop();
  if (place && place !== window.location.hash) { history.replaceState(null, "", place); }
});
document.querySelectorAll("nav.languages a[hreflang]").forEach(function (link) {
  link.addEventListener("click", function () {
    link.href = link.href.split("#")[0] + (window.location.hash || placeAboveTop());
  });
});

// The contents: open beside the text on a wide screen, one tap away above it on a narrow one.
(function () {
  var contents = document.querySelector("details.toc-details");
  var wide = window.matchMedia("(min-width: 60em)");
  function fit() { if (contents) { contents.open = wide.matches; } }
  fit();
  wide.addEventListener("change", fit);
})();

// On a narrow screen, the link to the contents goes back to the page's top (the languages, then the contents,
// opened) and leaves the address alone: it holds the reader's place, which the switcher keeps.
document.querySelectorAll("a.to-contents").forEach(function (link) {
  link.addEventListener("click", function (event) {
    event.preventDefault();
    var contents = document.querySelector("details.toc-details");
    if (contents) { contents.open = true; }
    window.scrollTo(0, 0);
    var title = document.getElementById("toc-title");
    if (title) { title.focus({ preventScroll: true }); }
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
