"""A real SMTP server for omfang's wave tests (Debian's python3-aiosmtpd).

Usage: smtp_sink.py PORT FILE [RCPT_DELAY_SECONDS]. Appends one JSON line per accepted message
to FILE: envelope sender and recipients, the decoded subject and body, and
the Message-ID. Refuses recipients whose address starts with "bounce" with
a permanent 550. With a delay, each RCPT waits that long before its answer
(a slow server, so a test can kill the sender inside a transaction). Prints "ready" once listening; stops on SIGTERM.
"""
import email
import email.policy
import json
import signal
import sys
import asyncio

from aiosmtpd.controller import Controller


class Sink:
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if len(sys.argv) > 3:
            await asyncio.sleep(float(sys.argv[3]))
        if address.lower().startswith("bounce"):
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with open(sys.argv[2], "a", encoding="utf-8") as f:
            f.write(json.dumps({
                "from": envelope.mail_from,
                "to": envelope.rcpt_tos,
                "subject": str(message["subject"]),
                "message_id": str(message["message-id"]),
                "list_unsubscribe": str(message["list-unsubscribe"]),
                "list_unsubscribe_post": str(message["list-unsubscribe-post"]),
                "body": message.get_content(),
            }, ensure_ascii=False) + "\n")
        return "250 OK"


controller = Controller(Sink(), hostname="127.0.0.1", port=int(sys.argv[1]))
controller.start()
print("ready", flush=True)
signal.sigwait([signal.SIGTERM, signal.SIGINT])
controller.stop()
