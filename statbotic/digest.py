"""Digests (issue 14): a report sent by e-mail over SMTP, and a check's JSON posted to a webhook.

The app's one network edge besides the stores (tests/support/layers.py NETWORK_EDGES): nothing else
imports smtplib, urllib.request or socket.  ``mail`` builds the message (EmailMessage: the report's
plain text, its HTML as the alternative a mail client shows); ``send_mail`` delivers it with smtplib
(STARTTLS or implicit TLS verified against the system's CAs or STATBOTIC_DIGEST_CA_FILE; a login only
when a user is set); ``post_json`` posts to a webhook with urllib.  Every failure becomes a
StatboticError (DeliveryFailed) with a specific message that never holds the SMTP password nor the
webhook's path (Slack's and Teams' carry their secret there).  The libraries load only when a digest
is sent: start-up never pays for them.
"""

from __future__ import annotations

from .addresses import webhook_name
from .errors import StatboticError
from .frozen import frozen
from .limits import cut

MAX_REPLY = 200  # characters of a server's answer quoted in a message
WEBHOOK_ANSWER = 65_536  # bytes of a webhook's answer read (and thrown away)


class DeliveryFailed(StatboticError):
    """A digest could not be sent (mail or webhook); the message says why and what to check.  ``refused``:
    each recipient the mail server refused and its answer (code and text), when it refused them all;
    ``status``: the webhook's HTTP status when it answered one."""

    def __init__(self, message: str, refused: dict[str, str] | None = None, status: int = 0):
        super().__init__(message)
        self.refused = refused or {}
        self.status = status


@frozen
class Sent:
    """What went out: to whom (addresses, or the webhook's address without its path) and how many bytes;
    ``refused``: the recipients the mail server refused while it took the others, each with its answer,
    and ``refusal`` the sentence that names them and who got the report."""

    to: tuple[str, ...]
    size: int  # bytes of the message, or of the JSON posted
    status: int = 0  # the webhook's HTTP status (0 for mail)
    refused: tuple[tuple[str, str], ...] = ()  # (address, the server's answer): these did not get it
    refusal: str = ""


# As a message travels: CRLF line ends, and a header folded only past the 998 characters RFC 5322 allows
# (the default policy folds at 78, right after "Subject:" when a title's words don't fit: a leading space).
def _policy():
    from email.policy import SMTP

    return SMTP.clone(max_line_length=998)


def mail(document, sender: str, recipients: tuple[str, ...]):
    """The digest of a report (report_page.ReportDocument) as an EmailMessage: its title the subject, its
    plain text the first part and its HTML page the alternative; From, To, Date and a Message-ID."""
    from email.message import EmailMessage
    from email.utils import formatdate, make_msgid, parseaddr

    message = EmailMessage()  # its parts encoded as the default policy would (lines past 78: quoted-printable)
    message["Subject"] = " ".join(document.title.split())  # one line, whatever a team's name holds
    message["From"] = sender
    message["To"] = ", ".join(recipients)
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(domain=parseaddr(sender)[1].rpartition("@")[2])
    message.set_content(document.text)
    message.add_alternative(document.html, subtype="html")
    message.policy = _policy()  # how it is written out (send_message uses it): headers folded past 998 only
    return message


def send_mail(message, settings, recipients: tuple[str, ...]) -> Sent:
    """Deliver ``message`` to ``recipients`` (its To:, as mail() was given them) through the server of
    ``settings`` (config.MailSettings).  Returns what was sent; DeliveryFailed (nothing sent, or some
    recipients refused) naming the cause."""
    import smtplib

    data = message.as_bytes(policy=_policy())  # as send_message sends it (it uses the message's policy)
    where = f"the mail server {settings.host}:{settings.port}"
    try:
        with _connect(settings) as server:
            _secure_and_log_in(server, settings, where)
            refused = server.send_message(message, to_addrs=list(recipients))
    except smtplib.SMTPRecipientsRefused as problem:
        raise DeliveryFailed(
            f"{_capital(where)} refused every recipient: {_refusals(problem.recipients)}.",
            refused=_answers(problem.recipients),
        ) from None
    except smtplib.SMTPSenderRefused as problem:
        raise DeliveryFailed(
            f"{_capital(where)} refused the sender {problem.sender} ({_reply(problem)}): check STATBOTIC_SMTP_FROM."
        ) from None
    except (smtplib.SMTPException, OSError) as problem:
        raise DeliveryFailed(_smtp_failure(problem, where, settings)) from None
    if not refused:
        return Sent(recipients, len(data))
    delivered = tuple(a for a in recipients if a not in refused)  # smtplib: refused only when some got it
    refusal = f"{_capital(where)} refused {_refusals(refused)}; the report went to {', '.join(delivered)} only."
    return Sent(delivered, len(data), refused=tuple(_answers(refused).items()), refusal=refusal)


def _connect(settings):
    import smtplib

    if settings.security == "tls":
        return smtplib.SMTP_SSL(settings.host, settings.port, timeout=settings.timeout, context=tls_context(settings))
    return smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)


def _secure_and_log_in(server, settings, where: str) -> None:
    import smtplib

    if settings.security == "starttls":
        server.ehlo()
        if not server.has_extn("starttls"):
            raise DeliveryFailed(
                f"{_capital(where)} does not offer STARTTLS: set STATBOTIC_SMTP_SECURITY=tls if it expects TLS "
                "from the first byte (usually port 465), or check STATBOTIC_SMTP_PORT (usually 587)."
            )
        server.starttls(context=tls_context(settings))
    if not settings.user:
        return
    password = settings.password.value if settings.password is not None else ""
    try:
        server.login(settings.user, password)
    except smtplib.SMTPAuthenticationError as problem:
        raise DeliveryFailed(
            f"{_capital(where)} refused the login of {settings.user} ({_reply(problem, password)}): "
            "check STATBOTIC_SMTP_USER and STATBOTIC_SMTP_PASSWORD."
        ) from None
    except UnicodeEncodeError:  # smtplib sends the login as ASCII
        raise DeliveryFailed(
            "STATBOTIC_SMTP_USER and STATBOTIC_SMTP_PASSWORD must be ASCII text: smtplib's login takes no other."
        ) from None
    except smtplib.SMTPNotSupportedError:
        raise DeliveryFailed(
            f"{_capital(where)} offers no login: leave STATBOTIC_SMTP_USER empty, or use the server's submission "
            "port with STARTTLS or TLS."
        ) from None


def tls_context(settings):
    """A verifying TLS context: the system's CAs, or only STATBOTIC_DIGEST_CA_FILE's when it is set."""
    import ssl

    if settings.ca_file is None:
        return ssl.create_default_context()
    try:
        return ssl.create_default_context(cafile=str(settings.ca_file))
    except (OSError, ssl.SSLError) as problem:
        reason = getattr(problem, "strerror", None) or getattr(problem, "reason", None) or problem
        raise DeliveryFailed(
            f"Can't use STATBOTIC_DIGEST_CA_FILE {settings.ca_file}: {reason}. It must be a PEM file of certificates."
        ) from None


def _smtp_failure(problem: BaseException, where: str, settings) -> str:
    import smtplib
    import socket
    import ssl

    if isinstance(problem, ssl.SSLCertVerificationError):
        return (
            f"{_capital(where)}'s certificate is not trusted ({problem.verify_message}): if it comes from a "
            "private CA, set STATBOTIC_DIGEST_CA_FILE to that CA's PEM file."
        )
    if isinstance(problem, ssl.SSLError):
        return f"TLS with {where} failed ({problem.reason or problem}): check STATBOTIC_SMTP_SECURITY and the port."
    if isinstance(problem, socket.gaierror):
        return f"Can't find {where}: no such host (check STATBOTIC_SMTP_HOST)."
    if isinstance(problem, ConnectionRefusedError):
        return f"Can't reach {where}: connection refused (check STATBOTIC_SMTP_HOST and STATBOTIC_SMTP_PORT)."
    if isinstance(problem, TimeoutError) or isinstance(problem.__context__, TimeoutError):  # smtplib wraps it
        return f"{_capital(where)} did not answer within {settings.timeout} s (STATBOTIC_DIGEST_TIMEOUT)."
    if isinstance(problem, smtplib.SMTPServerDisconnected):
        reason = problem or "no reason given"
        return f"{_capital(where)} closed the connection ({reason}): check STATBOTIC_SMTP_SECURITY and the port."
    if isinstance(problem, (smtplib.SMTPConnectError, smtplib.SMTPHeloError)):
        return f"{_capital(where)} refused the connection ({_reply(problem, _password(settings))})."
    if isinstance(problem, smtplib.SMTPResponseException):
        return f"{_capital(where)} refused the message ({_reply(problem, _password(settings))})."
    if isinstance(problem, OSError):
        return f"Can't reach {where}: {problem.strerror or problem}."
    return f"{_capital(where)} failed: {_scrubbed(str(problem), _password(settings))}."


def _password(settings) -> str:
    return settings.password.value if settings.password is not None else ""


def _reply(problem, password: str = "") -> str:
    """A server's answer (code and text), short, without the password should a server echo it."""
    return f"{problem.smtp_code} {_text(problem.smtp_error, password)}"


def _scrubbed(text: str, password: str) -> str:
    return text.replace(password, "***") if password else text


def _refusals(refused: dict) -> str:
    return ", ".join(f"{address} ({answer})" for address, answer in _answers(refused).items())


def _answers(refused: dict) -> dict[str, str]:
    """smtplib's refused recipients ({address: (code, answer)}) as {address: "code answer"}."""
    return {address: f"{code} {_text(answer)}" for address, (code, answer) in refused.items()}


def _text(answer, password: str = "") -> str:
    """A server's answer on one line, without the password, cut short."""
    text = answer.decode("utf-8", "replace") if isinstance(answer, bytes) else str(answer)
    return cut(" ".join(_scrubbed(text, password).split()), MAX_REPLY)


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def post_json(url: str, document: dict, settings) -> Sent:
    """POST ``document`` as JSON (Content-Type application/json) to the webhook at ``url`` (checked with
    webhook_problem); redirects are not followed.  Returns what was sent with the status; DeliveryFailed
    naming the status (any but 2xx) or why the webhook could not be reached."""
    import json
    import urllib.error
    import urllib.request

    from . import __version__

    body = json.dumps(document, indent=2).encode("utf-8")
    request = urllib.request.Request(
        url,
        data=body,
        method="POST",
        headers={"Content-Type": "application/json; charset=utf-8", "User-Agent": f"statbotic/{__version__}"},
    )
    name = webhook_name(url)

    class NoRedirects(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, req, fp, code, msg, headers, newurl):
            return None  # the 3xx then arrives as an HTTPError: a webhook's URL is its final one

    opener = urllib.request.build_opener(NoRedirects(), urllib.request.HTTPSHandler(context=tls_context(settings)))
    try:
        with opener.open(request, timeout=settings.timeout) as answer:
            answer.read(WEBHOOK_ANSWER)
            status = answer.status
    except urllib.error.HTTPError as problem:
        hint = ": a redirect, which is not followed (give the final URL)" if 300 <= problem.code < 400 else ""
        raise DeliveryFailed(
            f"The webhook at {name} answered {problem.code} {_text(problem.reason)}{hint}.", status=problem.code
        ) from None
    except (urllib.error.URLError, OSError) as problem:
        raise DeliveryFailed(_webhook_failure(getattr(problem, "reason", problem), name, settings)) from None
    if not 200 <= status < 300:
        raise DeliveryFailed(
            f"The webhook at {name} answered {status}: it takes a 2xx status as delivered.", status=status
        )
    return Sent((name,), len(body), status)


def _webhook_failure(reason, name: str, settings) -> str:
    import socket
    import ssl

    if isinstance(reason, ssl.SSLCertVerificationError):
        return f"The webhook at {name} has a certificate that is not trusted ({reason.verify_message})."
    if isinstance(reason, ConnectionRefusedError):
        return f"Can't reach the webhook at {name}: connection refused."
    if isinstance(reason, TimeoutError):
        return f"The webhook at {name} did not answer within {settings.timeout} s (STATBOTIC_DIGEST_TIMEOUT)."
    if isinstance(reason, socket.gaierror):
        return f"Can't find the webhook's host {name}: no such host."
    return f"Can't reach the webhook at {name}: {getattr(reason, 'strerror', None) or reason}."
