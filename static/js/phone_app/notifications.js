// The Notifications page (templates/ops/notifications.html): the browser makes the
// push subscription with our VAPID key, the portal stores it with the chosen topics.
(function () {
    const form = document.getElementById("push-form");
    const status = document.getElementById("push-status");
    const offButton = document.getElementById("push-off");
    if (!form) {
        return;
    }
    const text = form.dataset;
    const csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;

    function say(message) {
        status.textContent = message;
    }

    function post(url, body) {
        return fetch(url, {
            method: "POST",
            credentials: "same-origin",
            headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
            body: JSON.stringify(body),
        }).then((response) => response.json().then((data) => ({ ok: response.ok, data })));
    }

    function serverKey() {
        const base64 = text.applicationServerKey.replace(/-/g, "+").replace(/_/g, "/");
        const raw = atob(base64 + "=".repeat((4 - (base64.length % 4)) % 4));
        return Uint8Array.from(raw, (c) => c.charCodeAt(0));
    }

    function deviceLabel() {
        const platform = (navigator.userAgentData && navigator.userAgentData.platform) || "";
        const browser = /Edg\//.test(navigator.userAgent) ? "Edge"
            : /Firefox\//.test(navigator.userAgent) ? "Firefox"
            : /Chrom/.test(navigator.userAgent) ? "Chrome"
            : /Safari\//.test(navigator.userAgent) ? "Safari" : "Browser";
        return platform ? `${browser} on ${platform}` : browser;
    }

    function show(state) {
        for (const box of form.querySelectorAll("input[name=topics]")) {
            box.checked = state.topics.includes(box.value);
        }
        const names = form.querySelector("input[name=show_medicine_names]");
        if (names) {
            names.checked = Boolean(state.show_medicine_names);
        }
        offButton.hidden = !state.subscribed;
        say(state.subscribed ? text.on : text.off);
    }

    if (!("serviceWorker" in navigator) || !("PushManager" in window)) {
        say(text.unsupported);
        form.querySelector("button[type=submit]").disabled = true;
        return;
    }
    if (Notification.permission === "denied") {
        say(text.blocked);
    }

    const ready = navigator.serviceWorker.ready;
    ready
        .then((registration) => registration.pushManager.getSubscription())
        .then((subscription) => subscription
            ? post(text.stateUrl, { endpoint: subscription.endpoint }).then((r) => show(r.data))
            : show({ subscribed: false, topics: [] }))
        .catch(() => say(text.off));

    form.addEventListener("submit", (event) => {
        event.preventDefault();
        say(text.working);
        const topics = [...form.querySelectorAll("input[name=topics]:checked")].map((b) => b.value);
        const names = form.querySelector("input[name=show_medicine_names]");
        Notification.requestPermission()
            .then((permission) => {
                if (permission !== "granted") {
                    throw new Error("blocked");
                }
                return ready;
            })
            .then((registration) => registration.pushManager.getSubscription().then(
                (existing) => existing || registration.pushManager.subscribe({
                    userVisibleOnly: true,
                    applicationServerKey: serverKey(),
                })
            ))
            .then((subscription) => post(form.action, {
                subscription: subscription.toJSON(),
                topics,
                show_medicine_names: Boolean(names && names.checked),
                device_label: deviceLabel(),
            }))
            .then((result) => {
                say(result.ok ? result.data.message : result.data.error);
                if (result.ok) {
                    offButton.hidden = false;
                }
            })
            .catch((error) => say(error.message === "blocked" ? text.blocked : text.failed));
    });

    offButton.addEventListener("click", () => {
        ready
            .then((registration) => registration.pushManager.getSubscription())
            .then((subscription) => {
                if (!subscription) {
                    return { data: { message: text.off } };
                }
                return post(text.unsubscribeUrl, { endpoint: subscription.endpoint })
                    .then((result) => subscription.unsubscribe().then(() => result));
            })
            .then((result) => {
                show({ subscribed: false, topics: [] });
                say(result.data.message);
            })
            .catch(() => say(text.failed));
    });
})();
