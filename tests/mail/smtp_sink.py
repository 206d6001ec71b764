#!/usr/bin/python3
"""A local SMTP sink for Soundcheck's mail tests, on Debian's python3-aiosmtpd.

Usage: smtp_sink.py OUTDIR [--port N] [--reject-rcpt CODE] [--reject-data CODE]
                           [--auth USER:PASSWORD]

Prints "listening on PORT" once it accepts connections (port 0, the default, lets the OS
choose). Every message it accepts becomes two files in OUTDIR, numbered in arrival order:
  NNNN.eml   the DATA exactly as received (after SMTP dot-unstuffing)
  NNNN.json  the envelope and what Python's email package (an independent MIME parser)
             reads from the message: decoded headers, the text body, attachments, defects
Both are written under a temporary name and renamed, the .json first, so a reader that
sees NNNN.eml sees both complete files.

--reject-rcpt / --reject-data answer RCPT TO / the end of DATA with CODE (e.g. 550 or 451)
instead of accepting. --auth requires AUTH with that user and password (over plain TCP:
this is a test on loopback).
"""
import argparse
import asyncio
import base64
import itertools
import json
import os
import sys
from email import policy
from email.parser import BytesParser

from aiosmtpd.smtp import SMTP, AuthResult


def summarize(envelope):
    msg = BytesParser(policy=policy.default).parsebytes(envelope.content)
    body = msg.get_body(preferencelist=("plain",))
    attachments = []
    for part in msg.iter_attachments():
        payload = part.get_payload(decode=True) or b""
        attachments.append({
            "filename": part.get_filename(),
            "content_type": part.get_content_type(),
            "params": {k: v for k, v in (part.get_params() or [])[1:]},
            "content_base64": base64.b64encode(payload).decode("ascii"),
        })
    defects = [type(d).__name__ for part in msg.walk() for d in part.defects]
    return {
        "mail_from": envelope.mail_from,
        "rcpt_tos": list(envelope.rcpt_tos),
        "from": str(msg["from"]),
        "to": str(msg["to"]),
        "subject": str(msg["subject"]),
        "date": str(msg["date"]),
        "message_id": str(msg["message-id"]),
        "content_language": str(msg.get("content-language", "")),
        "content_type": msg.get_content_type(),
        "text": body.get_content() if body is not None else None,
        "text_charset": body.get_content_charset() if body is not None else None,
        "attachments": attachments,
        "defects": defects,
    }


def write_atomically(path, data):
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.rename(tmp, path)


class Handler:
    def __init__(self, outdir, reject_rcpt, reject_data):
        self.outdir = outdir
        self.reject_rcpt = reject_rcpt
        self.reject_data = reject_data
        self.counter = itertools.count(1)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.reject_rcpt:
            return f"{self.reject_rcpt} recipient refused by the test sink"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.reject_data:
            return f"{self.reject_data} message refused by the test sink"
        base = os.path.join(self.outdir, f"{next(self.counter):04d}")
        summary = json.dumps(summarize(envelope), ensure_ascii=False, indent=1)
        write_atomically(base + ".json", summary.encode("utf-8"))
        write_atomically(base + ".eml", envelope.content)
        return "250 Message accepted"


async def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("outdir")
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--reject-rcpt", type=int)
    ap.add_argument("--reject-data", type=int)
    ap.add_argument("--auth")
    args = ap.parse_args()
    os.makedirs(args.outdir, exist_ok=True)
    handler = Handler(args.outdir, args.reject_rcpt, args.reject_data)
    kwargs = {}
    if args.auth:
        user, password = args.auth.split(":", 1)

        def authenticator(server, session, envelope, mechanism, auth_data):
            ok = (auth_data.login == user.encode() and auth_data.password == password.encode())
            return AuthResult(success=ok)

        kwargs = dict(auth_required=True, auth_require_tls=False, authenticator=authenticator)
    loop = asyncio.get_running_loop()
    server = await loop.create_server(
        lambda: SMTP(handler, hostname="sink.example.org", **kwargs), "127.0.0.1", args.port)
    print(f"listening on {server.sockets[0].getsockname()[1]}", flush=True)
    await server.serve_forever()


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        sys.exit(0)
