"""Builds the zpack extension. `python3 -m build --wheel --no-isolation` reads pyproject.toml,
which names setuptools as the build backend, and setuptools runs this file."""

from setuptools import Extension, setup

setup(
    ext_modules=[
        Extension(
            "zpack",
            sources=["zpack.c"],
            # TODO: the extension calls zlib; say which library to link against.
            extra_compile_args=["-O2", "-Wall"],
        )
    ]
)
