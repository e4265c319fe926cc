"""Builds the zpack extension. `python3 -m build --wheel --no-isolation` reads pyproject.toml,
which names setuptools as the build backend, and setuptools runs this file."""

from setuptools import Extension, setup

setup(
    ext_modules=[
        Extension(
            "zpack",
            sources=["zpack.c"],
            libraries=["z"],  # link libz.so.1: the wheel then records it as a dependency
            extra_compile_args=["-O2", "-Wall"],
        )
    ]
)
