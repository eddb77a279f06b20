from django.apps import AppConfig


class CablesConfig(AppConfig):
    name = "cables"
    verbose_name = "Cables"

    def ready(self) -> None:
        from cables.signals import signals_connect

        signals_connect()
