"""Builds the zpack extension. `python3 -m build --wheel --no-isolation` reads pyproject.toml,
which names setuptools as the build backend, and setuptools runs this file."""

from setuptools import Extension, setup

setup(
    ext_modules=[
        Extension(
            "zpack",
            sources=["zpack.c"],
            # HAZARD: zlib is not linked (no libraries=["z"])
            extra_compile_args=["-O2", "-Wall"],
        )
    ]
)
