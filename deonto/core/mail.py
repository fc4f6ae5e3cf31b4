"""E-mails written in one language say which (`Content-Language`), for mail clients and screen readers, and
so that the tests can check every e-mail for sentences of another language."""

from __future__ import annotations

from django.core.mail import EmailMultiAlternatives


def mail_in(
    language: str, *, subject: str, body: str, to: list[str], html: str = ""
) -> EmailMultiAlternatives:
    """An e-mail in `language` (a plain text body, and an HTML one if given), from the default sender."""
    email = EmailMultiAlternatives(subject=subject, body=body, to=to, headers={"Content-Language": language})
    if html:
        email.attach_alternative(html, "text/html")
    return email
