from django.apps import AppConfig


class CorpusConfig(AppConfig):
    name = "leniency.corpus"
    label = "corpus"
    verbose_name = "裁判文书库"
