vcl 4.1;

# Varnish in front of the API servers (docker-compose.yml; docs/operations.md,
# "Production layout"; docs/caching.md, "HTTP caching"). It keeps only what
# the app marks public (storefront reads sent as GET, Cache-Control: public),
# lets Vary (which the app sets) tell apart the answers of different keys,
# origins and Accept headers, and drops answers by surrogate key (xkey) when
# a server sends PURGE after a change. Needs varnish-modules (xkey, var).
#
# The servers send each change's keys (HTTP_CACHE_PURGE_URL=http://varnish/)
# before the write answers: once a write has answered, the next read through
# here shows it.

import directors;
import std;
import var;
import xkey;

# BACKENDS BEGIN: integration-tests/http/edge-cache.spec.ts puts its own servers here.
# A server is taken out while GET /ready fails (PostgreSQL or Redis out of its reach).
probe ready {
    .url = "/ready";
    .interval = 5s;
    .timeout = 2s;
    .window = 5;
    .threshold = 3;
    .initial = 3;
}

backend api_1 {
    .host = "api-1";
    .port = "9000";
    .probe = ready;
}

backend api_2 {
    .host = "api-2";
    .port = "9000";
    .probe = ready;
}
# BACKENDS END

# Who may purge: the API servers and workers. Narrow it to their addresses.
acl purgers {
    "localhost";
    "10.0.0.0"/8;
    "172.16.0.0"/12;
    "192.168.0.0"/16;
}

sub vcl_init {
    new api = directors.round_robin();
    api.add_backend(api_1);
    api.add_backend(api_2);
}

sub vcl_recv {
    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(403, "Forbidden"));
        }
        if (!req.http.xkey-purge) {
            return (synth(400, "xkey-purge names no keys"));
        }
        # A fetch that began before this moment may hold what this purge
        # drops: it is answered but not kept (vcl_backend_response).
        # (A millisecond later than now: the figure is kept to the millisecond.)
        var.global_set("purged_at", "" + (std.real(time = now) + 0.001));
        set req.http.x-purged = xkey.purge(req.http.xkey-purge);
        return (synth(200, "Purged " + req.http.x-purged));
    }

    set req.backend_hint = api.backend();
    # One id for this request in Varnish's log and the server's (X-Request-Id).
    if (!req.http.X-Request-Id) {
        set req.http.X-Request-Id = "varnish-" + req.xid;
    }
    # Prometheus scrapes each server directly.
    if (req.url ~ "^/metrics") {
        return (synth(404, "Not Found"));
    }
    # Only GraphQL reads sent as GET, without credentials, may be kept; the
    # app decides which of those are (Cache-Control: public).
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    if (req.http.Authorization || req.http.Cookie) {
        return (pass);
    }
    if (req.url !~ "^/graphql(\?|$)") {
        return (pass);
    }
    # Subscriptions (Server-Sent Events) are streams of one client's own:
    # passed through, never queued behind another request for the same URL.
    if (req.http.Accept ~ "text/event-stream") {
        return (pass);
    }
    # Hashed on URL and Host (Varnish's default); the headers the answer
    # depends on are in its Vary, which Varnish matches itself.
    return (hash);
}

sub vcl_backend_fetch {
    var.set_real("fetch_started", std.real(time = now));
}

sub vcl_backend_response {
    # Keep only what the app marks public: every other answer is private.
    if (beresp.http.Cache-Control !~ "(^|,)\s*public\s*(,|$)") {
        # Not kept; the next request is fetched at once (not queued behind one).
        set beresp.uncacheable = true;
        set beresp.ttl = 10s;
        return (deliver);
    }
    # A purge ran while this answer was fetched: it may be older than the
    # change, so it is answered but not kept. (Coarse: any purge counts.)
    if (std.real(var.global_get("purged_at"), 0) >= var.get_real("fetch_started")) {
        set beresp.uncacheable = true;
        set beresp.ttl = 0s;
        return (deliver);
    }
    # TTL from s-maxage, grace from stale-while-revalidate (Varnish reads both).
    if (beresp.http.Content-Type ~ "json") {
        set beresp.do_gzip = true;
    }
    return (deliver);
}

sub vcl_deliver {
    if (obj.uncacheable) {
        set resp.http.X-Edge-Cache = "PASS";
    } elsif (obj.hits > 0) {
        set resp.http.X-Edge-Cache = "HIT";
    } else {
        set resp.http.X-Edge-Cache = "MISS";
    }
    set resp.http.X-Request-Id = req.http.X-Request-Id;
    # The keys are for this cache; browsers need none.
    unset resp.http.xkey;
    unset resp.http.Surrogate-Key;
    # Browsers cannot be purged: they may keep a public answer but ask again
    # each time, and get 304 from here while it is unchanged.
    if (resp.http.Cache-Control ~ "(^|,)\s*public\s*(,|$)") {
        set resp.http.Cache-Control = "public, no-cache";
    }
}
