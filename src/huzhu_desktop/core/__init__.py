"""Qt-free domain core: models, validation, store and services shared by the GUI and the CLI."""
