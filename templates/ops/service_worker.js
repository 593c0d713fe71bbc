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
