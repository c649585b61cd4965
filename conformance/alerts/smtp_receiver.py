"""An SMTP server for Weir's e-mail alert tests (aiosmtpd): STARTTLS required with the test
run's certificate, AUTH (PLAIN/LOGIN) required with one account, and every message accepted
appended to a JSON-lines file as {"from", "to", "subject", "body", "tls", "authenticated", "user"}.

Usage: smtp_receiver.py PORT CERT KEY USER PASSWORD OUT_FILE   (runs until killed; prints
"ready" once listening)
"""

import email
import json
import ssl
import sys
import time

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

PORT, CERT, KEY, USER, PASSWORD, OUT = sys.argv[1:7]


class Handler:
    async def handle_DATA(self, server, session, envelope):
        msg = email.message_from_bytes(envelope.original_content)
        body = msg.get_payload(decode=True)
        record = {
            "from": envelope.mail_from,
            "to": envelope.rcpt_tos,
            "subject": str(msg["Subject"]),
            "body": body.decode("utf-8", "replace") if body else "",
            "tls": session.ssl is not None,
            "authenticated": bool(session.authenticated),
            "user": session.auth_data.login.decode() if isinstance(session.auth_data, LoginPassword) else None,
        }
        with open(OUT, "a") as f:
            f.write(json.dumps(record) + "\n")
        return "250 Message accepted"


def authenticator(server, session, envelope, mechanism, auth_data):
    ok = isinstance(auth_data, LoginPassword) and auth_data.login.decode() == USER and auth_data.password.decode() == PASSWORD
    return AuthResult(success=ok, handled=False, auth_data=auth_data)


ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
ctx.load_cert_chain(CERT, KEY)
controller = Controller(
    Handler(),
    hostname="127.0.0.1",
    port=int(PORT),
    tls_context=ctx,
    require_starttls=True,
    authenticator=authenticator,
    auth_require_tls=True,
    auth_required=True,
)
controller.start()
print("ready", flush=True)
try:
    while True:
        time.sleep(3600)
finally:
    controller.stop()
