// Polls the issuing run's JSON every two seconds, moves the progress bar and shows
// the server's (translated) summary; reloads when the run is finished so the list
// of refused learners appears.
(function () {
  "use strict";
  var box = document.getElementById("issuing-run");
  if (!box) return;
  var bar = document.getElementById("run-progress");
  var summary = document.getElementById("run-summary");
  function poll() {
    fetch(box.dataset.statusUrl, { credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (run) {
        bar.max = run.total;
        bar.value = run.done;
        bar.textContent = run.percent + "%";
        summary.textContent = run.summary;
        if (run.status === "running") window.setTimeout(poll, 2000);
        else window.location.reload();
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 2000);
})();
