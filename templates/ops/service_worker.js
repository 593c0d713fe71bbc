// TeleCampus's service worker (#17). What it may keep is decided in ops/phone_app.py:
// the shell, the offline page, and pages the server sends with
// "X-Offline-Copy: allowed" (public pages as a visitor sees them). Visit pages and
// everything behind a sign-in never carry that header, so they are never stored.
const CACHE = "telecampus-v{{ cache_version }}";
const SHELL = {{ shell_urls_json|safe }};
const OFFLINE_URL = SHELL[0];

self.addEventListener("install", (event) => {
    // Without cookies: the stored offline page must not name whoever installed.
    const requests = SHELL.map((url) => new Request(url, { credentials: "omit" }));
    event.waitUntil(
        caches.open(CACHE)
            .then((cache) => cache.addAll(requests))
            .then(() => self.skipWaiting())
    );
});

self.addEventListener("activate", (event) => {
    event.waitUntil(
        caches.keys()
            .then((names) => Promise.all(
                names.filter((name) => name !== CACHE).map((name) => caches.delete(name))
            ))
            .then(() => self.clients.claim())
    );
});

function mayKeep(response) {
    return response.ok
        && !response.redirected
        && response.headers.get("X-Offline-Copy") === "allowed";
}

function fromNetworkKeepingPublicPages(request) {
    return fetch(request).then((response) => {
        if (mayKeep(response)) {
            const copy = response.clone();
            caches.open(CACHE).then((cache) => cache.put(request, copy));
        }
        return response;
    });
}

self.addEventListener("fetch", (event) => {
    const request = event.request;
    const url = new URL(request.url);
    if (request.method !== "GET" || url.origin !== self.location.origin) {
        return;
    }
    if (request.mode === "navigate") {
        event.respondWith(
            fromNetworkKeepingPublicPages(request).catch(() =>
                caches.match(request).then((kept) => kept || caches.match(OFFLINE_URL))
            )
        );
    } else if (SHELL.includes(url.pathname)) {
        event.respondWith(
            caches.match(url.pathname).then((kept) => kept || fetch(request))
        );
    }
});

// Web Push (#17): show what the portal sent; no clinical details unless the person
// chose to see medicine names. Tapping opens the page; an action button posts its
// signed token (for example a dose "taken") in the body and needs no open page.
self.addEventListener("push", (event) => {
    let message = {};
    try {
        message = event.data ? event.data.json() : {};
    } catch (error) {
        message = {};
    }
    const actions = message.actions || [];
    event.waitUntil(
        self.registration.showNotification(message.title || "TeleCampus", {
            body: message.body || "",
            tag: message.tag || undefined,
            icon: SHELL.find((url) => url.includes("icon-192")),
            data: {
                url: message.url || "/",
                answers: Object.fromEntries(
                    actions.map((a) => [a.action, { url: a.url, token: a.token || "" }])
                ),
            },
            actions: actions.map((a) => ({ action: a.action, title: a.title })),
        })
    );
});

self.addEventListener("notificationclick", (event) => {
    const notification = event.notification;
    const data = notification.data || {};
    notification.close();
    const answer = event.action && data.answers ? data.answers[event.action] : null;
    if (answer) {
        event.waitUntil(fetch(answer.url, {
            method: "POST",
            credentials: "include",
            body: new URLSearchParams({ token: answer.token }),
        }));
        return;
    }
    const target = new URL(data.url || "/", self.location.origin).href;
    event.waitUntil(
        self.clients.matchAll({ type: "window", includeUncontrolled: true }).then((windows) => {
            const open = windows.find((client) => client.url === target);
            return open ? open.focus() : self.clients.openWindow(target);
        })
    );
});
