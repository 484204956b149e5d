"""councilplan: workers' council democracy and democratic planning of production."""

__version__ = "0.1.0"
