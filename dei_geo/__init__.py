"""dei-geo: map-centric analysis of China's City Digital Development Index (DEI)."""

__version__ = "0.1.0"
