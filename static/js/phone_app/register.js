// Registers the service worker that makes the portal an installable app (#17).
// Its address comes from the script tag (base.html), so a prefix or port is kept.
(function () {
    const script = document.currentScript;
    if (!("serviceWorker" in navigator) || !script) {
        return;
    }
    const workerUrl = script.dataset.serviceWorker;
    window.addEventListener("load", () => {
        navigator.serviceWorker.register(workerUrl, { scope: "/" }).catch(() => {
            // The portal works the same without it; nothing to tell the person.
        });
    });
})();
