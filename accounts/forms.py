from django.contrib.auth.forms import PasswordResetForm
from django.template import loader

from accounts.services import queue_email


class OutboxPasswordResetForm(PasswordResetForm):
    """Password-reset e-mail goes through the outbox and a Celery task, like every other e-mail."""

    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email, **kwargs):
        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        queue_email(
            recipient=to_email, subject=subject, template=email_template_name, context=context, kind="password_reset"
        )
