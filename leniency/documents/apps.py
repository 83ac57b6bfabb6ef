from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "leniency.documents"
    label = "documents"
    verbose_name = "法律文书"
