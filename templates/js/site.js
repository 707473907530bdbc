// The language switcher keeps the reader at the same section: anchors are identical across editions.
document.querySelectorAll("nav.languages a[hreflang]").forEach(function (link) {
  link.addEventListener("click", function () {
    link.href = link.href.split("#")[0] + window.location.hash;
  });
});
