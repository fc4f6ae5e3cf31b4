// Check before you post: after htmx shows the results, move the focus to their heading so that
// keyboard and screen-reader users land on them. The form (and its chosen photo) stays as it is.
document.addEventListener("htmx:afterSwap", function (event) {
  var target = event.detail && event.detail.target;
  if (!target) { return; }
  var heading = document.getElementById("results-heading");
  if (heading) { heading.focus(); }
});
