// Lecture player: reports the ranges the video actually played to the server, which
// merges them into unique watched time. Skipping ahead is never reported as watched.
(function () {
    "use strict";
    const video = document.querySelector("video[data-progress-url]");
    if (!video) {
        return;
    }
    const url = video.dataset.progressUrl;
    const everyMs = Number(video.dataset.reportSeconds || "5") * 1000;
    const csrf = document.querySelector("input[name=csrfmiddlewaretoken]").value;
    const bar = document.getElementById("lecture-progress");
    const figure = document.getElementById("lecture-progress-figure");
    const status = document.getElementById("lecture-progress-status");
    let sending = false;
    let again = false;

    function playedRanges() {
        const ranges = [];
        for (let i = 0; i < video.played.length; i += 1) {
            ranges.push([video.played.start(i), video.played.end(i)]);
        }
        return ranges;
    }

    function show(result) {
        bar.value = result.percent;
        bar.textContent = result.percent + "%";
        figure.textContent = figure.textContent.replace(/^\d+%/, result.percent + "%");
        if (result.complete) {
            status.textContent = status.dataset.completeText || "This lecture is complete.";
        }
    }

    function report() {
        const segments = playedRanges();
        if (!segments.length) {
            return;
        }
        if (sending) {
            again = true;
            return;
        }
        sending = true;
        fetch(url, {
            method: "POST",
            credentials: "same-origin",
            headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
            body: JSON.stringify({ segments: segments }),
        })
            .then(function (response) { return response.ok ? response.json() : null; })
            .then(function (result) { if (result) { show(result); } })
            .catch(function () { /* The next report carries the same ranges. */ })
            .finally(function () {
                sending = false;
                if (again) {
                    again = false;
                    report();
                }
            });
    }

    let timer = null;
    video.addEventListener("play", function () {
        if (timer === null) {
            timer = window.setInterval(report, everyMs);
        }
    });
    ["pause", "ended", "seeking"].forEach(function (name) {
        video.addEventListener(name, report);
    });
    video.addEventListener("ended", function () {
        window.clearInterval(timer);
        timer = null;
    });
    window.addEventListener("pagehide", report);
}());
