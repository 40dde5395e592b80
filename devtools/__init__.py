"""Development tools for jupyterlab-eos: embedded S3 server, demo data, demo launcher.

Not part of the installed package.
"""
