"""Entry point of both frozen programs (PyInstaller), one script for both.

build.spec makes two executables from it in one folder: the console `sotay` (the command
line; `sotay` alone opens the window too) and the windowed `SoTayChiBo` (no console
window; the GUI). Both run in Python's UTF-8 mode (build.spec's OPTIONS: X utf8).

`--build-info` prints what a build test needs to see from inside the frozen program.
"""

import json
import sys

# Checked by name in the frozen build (tests/e2e/test_build.py): Windows needs Credential
# Manager, macOS its Keychain, Linux desktops SecretService; chainer and fail always.
KEYRING_BACKENDS = (
    "keyring.backends.Windows",
    "keyring.backends.macOS",
    "keyring.backends.SecretService",
    "keyring.backends.libsecret",
    "keyring.backends.kwallet",
    "keyring.backends.chainer",
    "keyring.backends.fail",
)

if __name__ == "__main__":
    if sys.argv[1:] == ["--build-info"]:
        import importlib

        from cli import use_utf8_streams

        use_utf8_streams()
        bundled = {}
        for name in KEYRING_BACKENDS:
            try:
                importlib.import_module(name)
                bundled[name] = True
            except ImportError:
                bundled[name] = False
        print(
            json.dumps(
                {
                    "frozen": bool(getattr(sys, "frozen", False)),
                    "utf8_mode": sys.flags.utf8_mode,
                    "keyring_backends_bundled": bundled,
                },
                ensure_ascii=False,
            )
        )
        sys.exit(0)
    from cli import main

    sys.exit(main())
