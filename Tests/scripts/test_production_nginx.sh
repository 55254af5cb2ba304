#!/usr/bin/env bash
# The production nginx site, served for real on loopback ports (its paths, certificate and
# ports swapped for throwaway ones): `nginx -t` accepts it, and its access log is JSON lines
# without query strings, so an OAuth code in /auth/callback?code=… never reaches the disk
# (issue 14).
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/assert.sh"
source "$here/../../scripts/lib/stack.sh"
repo="$(cd "$here/../.." && pwd)"
dc_path_add_sbin

dc_test "the production site logs JSON lines without query strings"
root="$(mktemp -d /tmp/dc-prodnginx.XXXXXX)"
mkdir -p "$root/include" "$root/logs" "$root/exports" "$root/temp" "$root/metrics"
printf 'datacovey_jobs_total{kind="import",state="completed"} 1\n' >"$root/metrics/worker.prom"
cp "$repo"/nginx/{fastcgi_params,security_headers,problem_pages,access_log_format,retry_after,allow_header}.conf \
    "$repo/nginx/production/security_headers_tls.conf" "$root/include/"
sed -i "s#/etc/nginx/datacovey/#$root/include/#g" "$root/include/"*.conf
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=datacovey.example.com" \
    -keyout "$root/key.pem" -out "$root/cert.pem" 2>/dev/null || dc_fail "could not make a certificate"
http_port="$(dc_free_port)"
https_port="$(dc_free_port)"
metrics_port="$(dc_free_port)"
sed -e "s#/etc/nginx/datacovey/#$root/include/#g" \
    -e "s#/etc/ssl/certs/datacovey.example.com.fullchain.pem#$root/cert.pem#" \
    -e "s#/etc/ssl/private/datacovey.example.com.key#$root/key.pem#" \
    -e "/listen \[::\]/d" \
    -e "s#listen 127.0.0.1:9180#listen 127.0.0.1:$metrics_port#" \
    -e "s#listen 80#listen 127.0.0.1:$http_port#" -e "s#listen 443#listen 127.0.0.1:$https_port#" \
    -e "s#/var/log/nginx/#$root/logs/#g" -e "s#unix:/run/datacovey/fcgi.sock#unix:$root/absent.sock#" \
    -e "s#/usr/share/datacovey/static/#$repo/nginx/static/#" -e "s#/var/lib/datacovey/data/exports/#$root/exports/#" \
    -e "s#/var/lib/datacovey/metrics/#$root/metrics/#" \
    "$repo/nginx/production/datacovey.conf" >"$root/site.conf"
{
    (( EUID == 0 )) && echo "user root;"
    echo "pid $root/nginx.pid;"
    echo "error_log $root/logs/error.log warn;"
    echo "events {}"
    echo "http {"
    echo "    include /etc/nginx/mime.types;"
    for temp in client_body fastcgi proxy uwsgi scgi; do echo "    ${temp}_temp_path $root/temp/$temp;"; done
    echo "    include $root/site.conf;"
    echo "}"
} >"$root/nginx.conf"
checked="$(nginx -p "$root" -c "$root/nginx.conf" -e "$root/logs/error.log" -t 2>&1)"
dc_assert_eq 0 "$?" "nginx -t on the production site: $checked"
nginx -p "$root" -c "$root/nginx.conf" -e "$root/logs/error.log" || dc_fail "nginx did not start"
for _ in $(seq 1 50); do [[ -s "$root/nginx.pid" ]] && break; sleep 0.1; done
# With the host's name (SNI): the catch-all server refuses every other name.
status="$(curl -sk -o /dev/null -w '%{http_code}' --resolve "datacovey.example.com:$https_port:127.0.0.1" \
    "https://datacovey.example.com:$https_port/auth/callback?code=SECRET_OAUTH_CODE&state=SECRET_STATE")"
dc_assert_eq 502 "$status" "the callback without a responder behind nginx"
refused="$(curl -sk -o /dev/null -w '%{http_code}' "https://127.0.0.1:$https_port/")"
dc_assert_eq 000 "$refused" "another host name gets no TLS handshake"
for path in /metrics /metrics/worker; do
    status="$(curl -sk -o /dev/null -w '%{http_code}' --resolve "datacovey.example.com:$https_port:127.0.0.1" \
        "https://datacovey.example.com:$https_port$path")"
    dc_assert_eq 404 "$status" "$path on the public site"
done
worker="$(curl -s "http://127.0.0.1:$metrics_port/metrics/worker")"
dc_assert_eq 'datacovey_jobs_total{kind="import",state="completed"} 1' "$worker" "the worker's file on the metrics server"

dc_test "the production site's 429 carries Retry-After and the security headers"
# 50 r/s with a burst of 100 (limit_req): 400 requests at once, multiplexed by one curl
# (a curl process each would be too slow on a busy machine to exceed it), go over it.
for i in $(seq 1 400); do
    printf 'url = "https://datacovey.example.com:%s/healthz?%s"\noutput = "/dev/null"\n' "$https_port" "$i"
done >"$root/burst.curl"
# Per answer: its status, its Retry-After (several would be joined by ", "), HSTS, X-Frame-Options.
curl -sk --parallel --parallel-max 100 --resolve "datacovey.example.com:$https_port:127.0.0.1" \
    -w '%{http_code}|%header{retry-after}|%header{strict-transport-security}|%header{x-frame-options}\n' \
    -K "$root/burst.curl" >"$root/answers" 2>/dev/null
summary="$(cut -d'|' -f1,2 "$root/answers" | sort | uniq -c | tr -s ' ' | tr '\n' ',')"
limited="$(grep -c '^429|' "$root/answers")"
(( limited > 0 )) || dc_fail "no request was limited: $summary"
dc_assert_eq "$limited" "$(grep -c '^429|1|max-age=63072000; includeSubDomains|DENY$' "$root/answers")" \
    "every 429 with exactly 'Retry-After: 1' and the security headers ($summary)"
dc_assert_eq 0 "$(grep -v '^429|' "$root/answers" | grep -vc '^[0-9]*||')" "no other answer with a Retry-After ($summary)"

kill -QUIT "$(cat "$root/nginx.pid")" 2>/dev/null
for _ in $(seq 1 50); do [[ -e "$root/nginx.pid" ]] || break; sleep 0.1; done
log="$(cat "$root/logs/datacovey-access.log" 2>/dev/null)"
dc_assert_contains "$log" '"path":"/auth/callback"' "the request is logged by its path"
[[ "$log" == *SECRET* ]] && dc_fail "the query string reached the log: $log"
python3 -c 'import json, sys; [json.loads(line) for line in sys.stdin if line.strip()]' <<<"$log" ||
    dc_fail "the access log is not JSON lines: $log"
rm -rf "$root"
dc_test_done
