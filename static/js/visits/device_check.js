// Device check: asks for the camera and microphone, shows the preview, then
// stops every track. Nothing is recorded or sent anywhere.
(function () {
    "use strict";
    var button = document.getElementById("device-check-start");
    var preview = document.getElementById("device-check-preview");
    var result = document.getElementById("device-check-result");
    if (!button || !result) { return; }
    button.addEventListener("click", function () {
        if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
            result.textContent = result.dataset.unsupported;
            return;
        }
        navigator.mediaDevices.getUserMedia({ video: true, audio: true })
            .then(function (stream) {
                preview.srcObject = stream;
                result.textContent = result.dataset.ok;
                window.setTimeout(function () {
                    stream.getTracks().forEach(function (track) { track.stop(); });
                }, 5000);
            })
            .catch(function () { result.textContent = result.dataset.fail; });
    });
})();
