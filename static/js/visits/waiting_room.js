// Waiting room: polls the visit's status JSON and moves the patient into the
// video call once the clinician admits them. Loaded as a file (CSP: no inline JS).
(function () {
    "use strict";
    var root = document.getElementById("waiting-room");
    if (!root) { return; }
    var statusUrl = root.dataset.statusUrl;
    var videoUrl = root.dataset.videoUrl;
    var text = document.getElementById("waiting-status");
    var join = document.getElementById("join-link");
    var delay = 3000;

    function poll() {
        fetch(statusUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
            .then(function (response) {
                if (!response.ok) { throw new Error(String(response.status)); }
                return response.json();
            })
            .then(function (data) {
                if (text.textContent !== data.message) { text.textContent = data.message; }
                if (data.admitted) {
                    join.hidden = false;
                    window.location.assign(videoUrl);
                    return;
                }
                if (data.status === "waiting" || data.status === "booked") {
                    window.setTimeout(poll, delay);
                }
            })
            .catch(function () {
                // A dropped connection is retried more slowly rather than given up.
                window.setTimeout(poll, delay * 3);
            });
    }
    window.setTimeout(poll, delay);
})();
