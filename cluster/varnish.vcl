vcl 4.1;
# Varnish for `make cluster`: caches what TeleCampus marks with s-maxage (anonymous
# cms pages, cms.cache.front_cache_headers) and nothing else; PURGE from the web
# nodes empties it (wagtail.contrib.frontend_cache; "/*" bans every page).

backend nodes {
    .host = "10.77.0.1";
    .port = "9382";
}

acl purgers {
    "127.0.0.1";
    "10.77.0.0"/24;
}

sub vcl_recv {
    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(405, "Not allowed"));
        }
        if (req.url ~ "\*$") {
            ban("req.url ~ ^" + regsub(req.url, "\*$", ""));
            return (synth(200, "Banned"));
        }
        return (purge);
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    # Someone signed in (or with a pending message) sees personal pages.
    if (req.http.Cookie ~ "(^|;\s*)(sessionid|messages)=") {
        return (pass);
    }
    if (req.http.Authorization) {
        return (pass);
    }
    unset req.http.Cookie;
    return (hash);
}

sub vcl_hash {
    # Host left out: a purge for BASE_URL's host must reach copies stored under
    # any name the site is reached by.
    hash_data(req.url);
    return (lookup);
}

sub vcl_backend_response {
    if (beresp.http.Cache-Control !~ "s-maxage") {
        set beresp.uncacheable = true;
        set beresp.ttl = 0s;
        return (deliver);
    }
}

sub vcl_deliver {
    if (obj.hits > 0) {
        set resp.http.X-Cache = "hit";
    } else {
        set resp.http.X-Cache = "miss";
    }
}
