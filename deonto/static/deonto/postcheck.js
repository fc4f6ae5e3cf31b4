// Check before you post: after htmx shows the results, move the focus to their heading so that
// keyboard and screen-reader users land on them. The form (and its chosen photo) stays as it is.
document.addEventListener("htmx:afterSwap", function (event) {
  var target = event.detail && event.detail.target;
  if (!target) { return; }
  var heading = document.getElementById("results-heading");
  if (heading) { heading.focus(); }
});

// The masked copy needs at least one place ticked: its button is off while none is (the server says so too).
document.addEventListener("change", function (event) {
  if (!event.target.matches || !event.target.matches("input[name=mask]")) { return; }
  var button = document.getElementById("masked-download");
  if (button) { button.disabled = !document.querySelector("input[name=mask]:checked"); }
});
