"""A stand-in OpenID provider for the browser tests, laid out like Auth0 under its issuer URL:
GET /authorize (a page where the tester types the user's subject), POST /authorize (issues a
code and redirects back with it and the state), POST /oauth/token (checks the client secret,
the redirect URI and the PKCE S256 verifier, answers an RS256 ID token with the nonce) and
GET /.well-known/jwks.json, and GET /v2/logout (Auth0's logout: back to returnTo, recorded for
GET /test/logouts). It listens on 127.0.0.1 only and stops when its parent test does.

Usage: standin_idp.py PORT_FILE CLIENT_ID CLIENT_SECRET RETURN_TO_PREFIX
It binds a free port itself (no race with another process for a chosen one) and writes it to
PORT_FILE once it listens.
"""
import base64
import hashlib
import html
import json
import os
import secrets
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

PORT_FILE = sys.argv[1]
CLIENT_ID = sys.argv[2]
CLIENT_SECRET = sys.argv[3]
# The "Allowed Logout URLs" of the application: returnTo must start with it.
RETURN_TO_PREFIX = sys.argv[4]
ISSUER = None  # set once the port is known
KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
KID = "standin-" + secrets.token_hex(4)
CODES = {}
LOGOUTS = []
LOCK = threading.Lock()


def b64url_uint(value):
    raw = value.to_bytes((value.bit_length() + 7) // 8, "big")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def jwks():
    numbers = KEY.public_key().public_numbers()
    return {"keys": [{"kty": "RSA", "use": "sig", "alg": "RS256", "kid": KID,
                      "n": b64url_uint(numbers.n), "e": b64url_uint(numbers.e)}]}


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def send(self, status, body, content_type="application/json", headers=()):
        data = body.encode() if isinstance(body, str) else body
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def form(self):
        length = int(self.headers.get("Content-Length") or 0)
        return dict(urllib.parse.parse_qsl(self.rfile.read(length).decode()))

    def do_GET(self):
        url = urllib.parse.urlsplit(self.path)
        if url.path == "/.well-known/jwks.json":
            return self.send(200, json.dumps(jwks()))
        if url.path == "/authorize":
            query = dict(urllib.parse.parse_qsl(url.query))
            if query.get("client_id") != CLIENT_ID or query.get("code_challenge_method") != "S256":
                return self.send(400, "bad authorize request", "text/plain")
            hidden = "".join(f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">'
                             for k, v in query.items())
            page = ("<!doctype html><title>Stand-in provider</title><h1>Stand-in provider</h1>"
                    f'<form method="post" action="/authorize">{hidden}'
                    '<label for="sub">Subject</label><input id="sub" name="sub">'
                    '<label for="email">Verified e-mail (optional)</label><input id="email" name="email">'
                    '<button id="approve" type="submit">Sign in</button></form>')
            return self.send(200, page, "text/html; charset=utf-8")
        if url.path == "/v2/logout":
            # As Auth0: only a known client, back only to a URL of it.
            query = dict(urllib.parse.parse_qsl(url.query))
            if query.get("client_id") != CLIENT_ID or not query.get("returnTo", "").startswith(RETURN_TO_PREFIX):
                return self.send(400, "bad logout request", "text/plain")
            with LOCK:
                LOGOUTS.append(query["returnTo"])
            return self.send(302, "", "text/plain", [("Location", query["returnTo"])])
        if url.path == "/test/logouts":
            with LOCK:
                return self.send(200, json.dumps(LOGOUTS))
        return self.send(404, "{}")

    def do_POST(self):
        url = urllib.parse.urlsplit(self.path)
        form = self.form()
        if url.path == "/authorize":
            code = secrets.token_urlsafe(24)
            with LOCK:
                CODES[code] = dict(form, expires=time.time() + 60)
            target = form["redirect_uri"] + "?" + urllib.parse.urlencode({"code": code, "state": form["state"]})
            return self.send(302, "", "text/plain", [("Location", target)])
        if url.path == "/oauth/token":
            with LOCK:
                grant = CODES.pop(form.get("code", ""), None)
            challenge = base64.urlsafe_b64encode(
                hashlib.sha256(form.get("code_verifier", "").encode()).digest()).rstrip(b"=").decode()
            if (grant is None or grant["expires"] < time.time() or form.get("client_id") != CLIENT_ID
                    or form.get("client_secret") != CLIENT_SECRET or form.get("redirect_uri") != grant["redirect_uri"]
                    or challenge != grant["code_challenge"]):
                return self.send(400, json.dumps({"error": "invalid_grant"}))
            now = int(time.time())
            claims = {"iss": ISSUER, "sub": grant["sub"], "aud": CLIENT_ID, "iat": now, "exp": now + 300,
                      "nonce": grant["nonce"]}
            if grant.get("email"):
                # As Auth0 does with the email scope: the address and that the provider verified it.
                claims.update(email=grant["email"], email_verified=True)
            token = jwt.encode(claims, KEY, algorithm="RS256", headers={"kid": KID})
            return self.send(200, json.dumps({"id_token": token, "token_type": "Bearer", "expires_in": 300}))
        return self.send(404, "{}")


if __name__ == "__main__":
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    ISSUER = f"http://127.0.0.1:{server.server_address[1]}/"
    with open(PORT_FILE + ".tmp", "w") as handle:
        handle.write(str(server.server_address[1]))
    os.replace(PORT_FILE + ".tmp", PORT_FILE)
    print(f"stand-in provider at {ISSUER}", flush=True)
    server.serve_forever()
