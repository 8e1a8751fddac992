from django.apps import AppConfig


class ExampleConfig(AppConfig):
    """A tracked model added the way the README says, used only by the test suite to show
    the engine needs no line of its own for a new record type."""

    name = "tests.example_app"
    label = "example"
