// Small progressive enhancements; every page works without this file.
(function () {
  "use strict";
  // After htmx swaps a form that came back with errors (422), move focus to the first invalid
  // field so keyboard and screen-reader users land where the problem is.
  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.detail.xhr && event.detail.xhr.status === 422) {
      var invalid = event.detail.target.querySelector(".is-invalid");
      if (!invalid && event.detail.elt) { invalid = document.querySelector(".is-invalid"); }
      if (invalid) { invalid.focus(); }
    }
  });
})();
