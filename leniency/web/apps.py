from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "leniency.web"
    label = "web"
    verbose_name = "页面与接口"
